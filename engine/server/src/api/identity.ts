/**
 * Identity tokens: a host site vouches for its signed-in customer, as Intercom's identity verification
 * does. The site signs `base64url(JSON payload)` with HMAC-SHA256 under a secret it shares with Baton;
 * the token is `base64url(payload).base64url(mac)`. Only a valid token makes `customer.verified` true.
 * The secrets are never logged or echoed, not even in configuration errors.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ClaimedCustomer, toPointer, type Customer } from '@baton/schemas';

/** A token may live at most this long (`exp` at most this far ahead): a leaked one soon stops working. */
export const maxIdentityTokenSeconds = 24 * 60 * 60;
export const minIdentitySecretLength = 32;

export const IdentityPayload = z
  .object({
    /** The host site that signs; picks its secret when sites have their own. */
    site: z.string().min(1).max(100),
    /** Expiry, seconds since the epoch (as JWT's `exp`); required. */
    exp: z.number().int().positive(),
    /** Issued at, seconds since the epoch; optional. */
    iat: z.number().int().positive().optional(),
    customer: ClaimedCustomer,
  })
  .strict();
export type IdentityPayload = z.infer<typeof IdentityPayload>;

export interface IdentityOptions {
  /** Secret of each named site (BATON_IDENTITY_SECRETS). */
  sites: Record<string, string>;
  /** Secret of any other site (BATON_IDENTITY_SECRET). */
  secret?: string;
}

/** Why a token is refused: 400 for a token that is not one, 401 for one that is not (or no longer) valid. */
export class IdentityTokenError extends Error {
  constructor(
    readonly status: 400 | 401,
    /** JSON pointer below the start body's `/identityToken`, e.g. `/identityToken/exp`. */
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const base64url = /^[A-Za-z0-9_-]+$/;

function mac(payloadPart: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payloadPart).digest();
}

/** What a host site runs on its server (docs/security.md#identity-tokens has the same in a few lines of Node). */
export function signIdentityToken(payload: IdentityPayload, secret: string): string {
  const payloadPart = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${payloadPart}.${mac(payloadPart, secret).toString('base64url')}`;
}

function secretFor(site: string, options: IdentityOptions): string | undefined {
  return Object.hasOwn(options.sites, site) ? options.sites[site] : options.secret;
}

/**
 * The customer a valid token names, with `verified: true`. `now` is milliseconds since the epoch.
 * Throws IdentityTokenError naming the part at fault; the signature is checked before the payload
 * is trusted, in constant time.
 */
export function verifyIdentityToken(token: string, options: IdentityOptions | undefined, now: number): Customer {
  const where = '/identityToken';
  if (!options) throw new IdentityTokenError(400, where, 'this server accepts no identity tokens (no site secret)');
  const parts = token.split('.');
  const [payloadPart = '', macPart = ''] = parts;
  if (parts.length !== 2 || !base64url.test(payloadPart) || !base64url.test(macPart))
    throw new IdentityTokenError(400, where, 'is not base64url(payload).base64url(signature)');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    throw new IdentityTokenError(400, where, 'its payload is not JSON');
  }
  // The site is read before the signature is checked only to pick the secret; nothing else is trusted yet.
  const site = (decoded as { site?: unknown } | null)?.site;
  if (typeof site !== 'string' || site === '')
    throw new IdentityTokenError(400, `${where}/site`, 'the payload names no site');
  const secret = secretFor(site, options);
  if (secret === undefined) throw new IdentityTokenError(401, `${where}/site`, `no identity secret for site "${site}"`);
  const expected = mac(payloadPart, secret);
  const given = Buffer.from(macPart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new IdentityTokenError(401, where, 'the signature does not match (tampered, or signed with another secret)');
  const payload = IdentityPayload.safeParse(decoded);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    throw new IdentityTokenError(400, `${where}${toPointer(issue?.path ?? [])}`, issue?.message ?? 'invalid payload');
  }
  const { exp, customer } = payload.data;
  const nowSeconds = Math.floor(now / 1000);
  if (exp <= nowSeconds) throw new IdentityTokenError(401, `${where}/exp`, 'the token has expired');
  if (exp > nowSeconds + maxIdentityTokenSeconds)
    throw new IdentityTokenError(
      400,
      `${where}/exp`,
      `a token may live at most ${maxIdentityTokenSeconds} seconds: sign a fresh one for each page`,
    );
  return { ...customer, verified: true };
}

function checkedSecret(name: string, secret: string): string {
  if (secret.length < minIdentitySecretLength)
    throw new Error(`${name}: an identity secret needs at least ${minIdentitySecretLength} characters`);
  return secret;
}

/**
 * BATON_IDENTITY_SECRET (the secret of every site) and BATON_IDENTITY_SECRETS (`site=secret,…`, a
 * secret per site); undefined when neither is set: then no token is accepted and every customer is
 * unverified. Errors name the variable and the site, never a secret.
 */
export function identityOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityOptions | undefined {
  const sites: Record<string, string> = {};
  for (const entry of (env.BATON_IDENTITY_SECRETS ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const at = entry.indexOf('=');
    const site = entry.slice(0, at).trim();
    if (at <= 0 || site === '')
      throw new Error('BATON_IDENTITY_SECRETS: each entry is site=secret, separated by commas');
    sites[site] = checkedSecret(`BATON_IDENTITY_SECRETS (site "${site}")`, entry.slice(at + 1).trim());
  }
  const secret = env.BATON_IDENTITY_SECRET
    ? checkedSecret('BATON_IDENTITY_SECRET', env.BATON_IDENTITY_SECRET)
    : undefined;
  if (secret === undefined && Object.keys(sites).length === 0) return undefined;
  return { sites, ...(secret !== undefined && { secret }) };
}
