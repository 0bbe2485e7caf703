/**
 * OIDC sign-in (authorization code + PKCE) with openid-client v6. The state and the PKCE verifier
 * travel in a short-lived, HMAC-signed, http-only cookie, so no server-side storage is needed
 * between the redirect and the callback.
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Request } from 'express';
import { HttpProblem } from '../problem';
import { sameSecret } from './tokens';
import type { OidcConfig } from './oidc-config';

type OpenIdClient = typeof import('openid-client');
type Configuration = import('openid-client').Configuration;

/**
 * openid-client v6 is an ES module; Node (≥ 20.19) loads it with `require`. The real Node require
 * is used, not a bundler's.
 */
function loadOpenIdClient(): OpenIdClient {
  return createRequire(__filename)('openid-client') as OpenIdClient;
}

export const oidcCookie = 'baton_oidc';
const flowSeconds = 600;

export interface OidcFlow {
  state: string;
  verifier: string;
  exp: number;
}

export function sealFlow(flow: OidcFlow, secret: string): string {
  const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
  return `${payload}.${createHmac('sha256', `oidc:${secret}`).update(payload).digest('base64url')}`;
}

export function openFlow(
  sealed: string | undefined,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): OidcFlow {
  const [payload, signature] = (sealed ?? '').split('.');
  if (
    !payload ||
    !signature ||
    !sameSecret(signature, createHmac('sha256', `oidc:${secret}`).update(payload).digest('base64url'))
  ) {
    throw new HttpProblem(
      400,
      'Sign-in expired',
      'the OIDC sign-in state is missing or was tampered with; start the sign-in again',
    );
  }
  const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as OidcFlow;
  if (flow.exp <= nowSeconds)
    throw new HttpProblem(400, 'Sign-in expired', 'the OIDC sign-in took longer than 10 minutes; start it again');
  return flow;
}

export interface Oidc {
  /** The IdP's authorization URL (with PKCE) and the sealed flow to keep in the cookie. */
  start(req: Request): Promise<{ url: string; sealed: string; maxAge: number }>;
  /** Exchanges the code; answers the verified email and subject of the user. */
  finish(req: Request, sealed: string | undefined): Promise<{ email: string; subject: string; name?: string }>;
}

export function createOidc(config: OidcConfig, secret: string): Oidc {
  // Checked here too for callers of createApp that build the options by hand.
  if (!config.redirectUri)
    throw new Error('OIDC sign-in needs its redirect URI configured (BATON_OIDC_REDIRECT_URI), never the Host header');
  const openIdClient = () => config.library ?? loadOpenIdClient();
  let discovered: Promise<Configuration> | undefined;
  const configuration = () => {
    const client = openIdClient();
    discovered ??= client
      .discovery(
        new URL(config.issuer),
        config.clientId,
        config.clientSecret,
        undefined,
        config.allowInsecureIssuer ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw new HttpProblem(
          503,
          'The identity provider is unavailable',
          `could not read ${config.issuer}/.well-known/openid-configuration: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    return discovered;
  };
  return {
    async start() {
      const client = openIdClient();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const url = client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: config.redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
      });
      return {
        url: url.href,
        sealed: sealFlow({ state, verifier, exp: Math.floor(Date.now() / 1000) + flowSeconds }, secret),
        maxAge: flowSeconds,
      };
    },
    async finish(req, sealed) {
      const flow = openFlow(sealed, secret);
      const client = openIdClient();
      const current = new URL(req.originalUrl, config.redirectUri);
      let claims: Record<string, unknown> | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(await configuration(), current, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
        });
        claims = tokens.claims() as Record<string, unknown> | undefined;
      } catch (error) {
        if (error instanceof HttpProblem) throw error;
        throw new HttpProblem(
          401,
          'Sign-in failed',
          `the identity provider did not confirm the sign-in: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const email = claims?.email;
      if (typeof email !== 'string' || claims?.email_verified === false)
        throw new HttpProblem(403, 'Sign-in refused', 'the identity provider gave no verified email address');
      return {
        email,
        subject: String(claims?.sub ?? ''),
        ...(typeof claims?.name === 'string' && { name: claims.name }),
      };
    },
  };
}
