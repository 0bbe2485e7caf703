/**
 * Secrets handed to browsers and scripts: random session tokens and API keys, and the customer's
 * conversation token (HMAC-SHA256 over `{conversationId, exp}`, so the API checks it without a lookup).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** API keys start with `bk_` so that a leaked one is recognisable (and scanners can find it). */
export const apiKeyPrefix = 'bk_';
export const newApiKey = () => `${apiKeyPrefix}${randomToken(32)}`;

export interface ConversationClaims {
  conversationId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const sign = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest('base64url');

/** `<base64url(JSON claims)>.<base64url(HMAC)>`; a dot-separated string that contains no `bk_` prefix. */
export function signConversationToken(claims: ConversationClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ conversationId: claims.conversationId, exp: claims.exp })).toString(
    'base64url',
  );
  return `${payload}.${sign(payload, secret)}`;
}

export type TokenCheck =
  { ok: true; claims: ConversationClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

export function verifyConversationToken(
  token: string,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [payload, signature] = parts as [string, string];
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { conversationId, exp } = (claims ?? {}) as Partial<ConversationClaims>;
  if (typeof conversationId !== 'string' || typeof exp !== 'number') return { ok: false, reason: 'malformed' };
  if (exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { conversationId, exp } };
}

/** Constant-time comparison of two strings (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
