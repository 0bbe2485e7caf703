import { randomToken } from './tokens';
import { oidcConfigFromEnv, type OidcConfig } from './oidc-config';

export interface AuthOptions {
  /** Key of the customers' conversation tokens (BATON_TOKEN_SECRET); at least 32 characters. */
  tokenSecret: string;
  /** How long a conversation token is valid (default 7 days). */
  conversationTokenTtlSeconds?: number;
  /** How long a sign-in session lasts (default 12 h). */
  sessionTtlMs?: number;
  /** `true`: always mark the cookie Secure; default: Secure when the request came over https (or BATON_COOKIE_SECURE=1). */
  cookieSecure?: boolean;
  /** Sign-in attempts per IP per window (default 10 per minute); 0 turns the limit off. */
  loginAttemptsPerWindow?: number;
  /** Requests per conversation token per window on the customer routes (default 60 per minute); 0 turns it off. */
  customerRequestsPerToken?: number;
  /** Window of both limits, in ms (default one minute). */
  rateLimitWindowMs?: number;
  /** OIDC sign-in, when configured. */
  oidc?: OidcConfig;
}

export const minimumSecretLength = 32;

export class AuthConfigError extends Error {}

/** Reads BATON_TOKEN_SECRET, BATON_COOKIE_SECURE, BATON_LOGIN_RATE_LIMIT, BATON_TOKEN_RATE_LIMIT_PER_MINUTE and BATON_OIDC_*. */
export function authOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { requireSecret?: boolean } = {},
): AuthOptions {
  const secret = env.BATON_TOKEN_SECRET;
  if (secret !== undefined && secret.length < minimumSecretLength) {
    throw new AuthConfigError(
      `BATON_TOKEN_SECRET must be at least ${minimumSecretLength} characters (e.g. \`openssl rand -base64 48\`)`,
    );
  }
  if (!secret && options.requireSecret) {
    throw new AuthConfigError(
      'BATON_TOKEN_SECRET is not set: customers’ conversation tokens need a stable secret of at least 32 characters (e.g. `openssl rand -base64 48`)',
    );
  }
  const number = (name: string) => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new AuthConfigError(`${name} must be a non-negative integer, not "${value}"`);
    return parsed;
  };
  const login = number('BATON_LOGIN_RATE_LIMIT');
  const perToken = number('BATON_TOKEN_RATE_LIMIT_PER_MINUTE');
  const oidc = oidcConfigFromEnv(env);
  return {
    // Without a configured secret, tokens last as long as this process (fine for a local trial).
    tokenSecret: secret || randomToken(48),
    ...(env.BATON_COOKIE_SECURE === '1' && { cookieSecure: true }),
    ...(login !== undefined && { loginAttemptsPerWindow: login }),
    ...(perToken !== undefined && { customerRequestsPerToken: perToken }),
    ...(oidc && { oidc }),
  };
}
