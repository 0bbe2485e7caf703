export interface OidcConfig {
  /** The issuer URL; its `/.well-known/openid-configuration` is read at the first sign-in. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * Where the IdP sends the browser back: `<public URL>/api/auth/oidc/callback`. Required: built from the
   * request's Host header, a forged host would receive the authorization code.
   */
  redirectUri: string;
  /** Allow an http:// issuer (only for a local test IdP). */
  allowInsecureIssuer?: boolean;
  /** The openid-client module, when the caller loads it (Jest cannot `require` an ES module; Node can, and does by default). */
  library?: typeof import('openid-client');
}

/**
 * OIDC is on when BATON_OIDC_ISSUER, BATON_OIDC_CLIENT_ID, BATON_OIDC_CLIENT_SECRET and
 * BATON_OIDC_REDIRECT_URI are all set; setting only some of them is a configuration error (said at
 * startup, not at the first sign-in).
 */
export function oidcConfigFromEnv(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const names = [
    'BATON_OIDC_ISSUER',
    'BATON_OIDC_CLIENT_ID',
    'BATON_OIDC_CLIENT_SECRET',
    'BATON_OIDC_REDIRECT_URI',
  ] as const;
  const set = names.filter((name) => env[name]);
  if (set.length === 0) return undefined;
  if (set.length < names.length) {
    throw new Error(
      `OIDC sign-in needs ${names.join(', ')}; missing: ${names.filter((name) => !env[name]).join(', ')}`,
    );
  }
  const issuer = env.BATON_OIDC_ISSUER as string;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`BATON_OIDC_ISSUER must be a URL, not "${issuer}"`);
  }
  const allowInsecureIssuer = env.BATON_OIDC_ALLOW_HTTP === '1';
  if (url.protocol !== 'https:' && !allowInsecureIssuer)
    throw new Error(
      `BATON_OIDC_ISSUER must use https (got ${url.protocol}); BATON_OIDC_ALLOW_HTTP=1 allows http for a local test IdP`,
    );
  const redirectUri = env.BATON_OIDC_REDIRECT_URI as string;
  try {
    new URL(redirectUri);
  } catch {
    throw new Error(`BATON_OIDC_REDIRECT_URI must be a URL, not "${redirectUri}"`);
  }
  return {
    issuer,
    clientId: env.BATON_OIDC_CLIENT_ID as string,
    clientSecret: env.BATON_OIDC_CLIENT_SECRET as string,
    redirectUri,
    ...(allowInsecureIssuer && { allowInsecureIssuer }),
  };
}
