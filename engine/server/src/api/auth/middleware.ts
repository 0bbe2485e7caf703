/**
 * Resolves who is calling, once per request, into `res.locals.identity` (see ../access.ts):
 * - `Authorization: Bearer bk_…`: an API key;
 * - `Authorization: Bearer <token>` or `?token=<token>`: a customer's conversation token
 *   (EventSource cannot set headers, hence the query parameter);
 * - the `baton_session` cookie: a signed-in user; unsafe methods then need `x-csrf-token`.
 * A credential that is presented but wrong answers 401 at once (a broken script should hear it),
 * except a stale session cookie, which is simply ignored (so the sign-in page still loads).
 */
import type { Request, RequestHandler, Response } from 'express';
import { sha256, type ApiKey, type AuthStore, type Session, type User } from '@baton/store/auth';
import type { Identity } from '../access';
import { HttpProblem } from '../problem';
import { apiKeyPrefix, sameSecret, verifyConversationToken } from './tokens';
import type { AuthOptions } from './options';

export const sessionCookie = 'baton_session';
export const csrfHeader = 'x-csrf-token';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What the request's session is, for the sign-in routes (me, logout). */
export interface SessionContext {
  tokenHash: string;
  session: Session;
  user: User;
}

export function sessionOf(res: Response): SessionContext | undefined {
  return res.locals.session as SessionContext | undefined;
}

/** The API key the request came with, if any (keys issued through it belong to the same user). */
export function apiKeyOf(res: Response): ApiKey | undefined {
  return res.locals.apiKey as ApiKey | undefined;
}

/**
 * A key lives no longer than its user and its expiry: answers why it is refused, else the roles it
 * holds now (never more than its user's: a demoted user's key is demoted too). A key whose owner is
 * unknown and unrecorded is a service key (issued by the CLI or a deployment) and keeps its roles.
 */
async function keyStanding(
  store: AuthStore,
  key: ApiKey,
  now: number,
): Promise<{ refused: string } | { roles: ApiKey['roles'] }> {
  if (key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now) return { refused: 'the API key has expired' };
  const owner = await store.getUser(key.ownerId ?? key.createdBy);
  if (!owner) return key.ownerId ? { refused: "the API key's user no longer exists" } : { roles: key.roles };
  if (owner.disabled) return { refused: "the API key's user is disabled" };
  if (owner.roles.includes('admin')) return { roles: key.roles };
  // An admin key holds every role its (no longer admin) owner holds; any other key, the roles both hold.
  if (key.roles.includes('admin')) return { roles: owner.roles };
  return { roles: key.roles.filter((role) => owner.roles.includes(role)) };
}

const userIdentity = (user: User, via: 'session' | 'apiKey'): Identity => ({
  kind: 'user',
  userId: user.userId,
  email: user.email,
  name: user.name,
  roles: user.roles,
  via,
});

function bearerOf(req: Request): string | undefined {
  const header = req.header('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match)
    throw new HttpProblem(
      401,
      'Invalid credentials',
      'the Authorization header must be "Bearer <API key or conversation token>"',
    );
  return match[1];
}

function queryToken(req: Request): string | undefined {
  const value = (req.query as Record<string, unknown>).token;
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new HttpProblem(401, 'Invalid credentials', 'the token query parameter must be given once');
  return value;
}

/** The cookies of a request (the `cookie` package ships no types; this is all we need of it). */
function parseCookies(header: string): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    if (!name || name in cookies) continue;
    try {
      cookies[name] = decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      // A malformed cookie of someone else's: ignore it.
    }
  }
  return cookies;
}

function serializeCookie(name: string, value: string, options: { secure: boolean; maxAge: number }): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${options.maxAge}; HttpOnly; SameSite=Lax${options.secure ? '; Secure' : ''}`;
}

export function cookieIsSecure(req: Request, options: AuthOptions): boolean {
  return options.cookieSecure === true || req.secure || process.env.BATON_COOKIE_SECURE === '1';
}

export function setSessionCookie(
  req: Request,
  res: Response,
  token: string,
  options: AuthOptions,
  maxAgeSeconds: number,
): void {
  res.append(
    'Set-Cookie',
    serializeCookie(sessionCookie, token, { secure: cookieIsSecure(req, options), maxAge: maxAgeSeconds }),
  );
}

export function clearSessionCookie(req: Request, res: Response, options: AuthOptions): void {
  res.append('Set-Cookie', serializeCookie(sessionCookie, '', { secure: cookieIsSecure(req, options), maxAge: 0 }));
}

export function identify(store: AuthStore, options: AuthOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      const bearer = bearerOf(req);
      const token = bearer ?? queryToken(req);
      if (bearer?.startsWith(apiKeyPrefix)) {
        const key = await store.useApiKey(sha256(bearer));
        if (!key) throw new HttpProblem(401, 'Invalid credentials', 'unknown or revoked API key');
        const standing = await keyStanding(store, key, Date.now());
        if ('refused' in standing) throw new HttpProblem(401, 'Invalid credentials', standing.refused);
        res.locals.apiKey = key;
        res.locals.identity = {
          kind: 'user',
          userId: `apiKey:${key.keyId}`,
          email: '',
          name: `API key "${key.name}"`,
          roles: standing.roles,
          via: 'apiKey',
        } satisfies Identity;
        return next();
      }
      if (token !== undefined) {
        const check = verifyConversationToken(token, options.tokenSecret);
        if (!check.ok)
          throw new HttpProblem(
            401,
            'Invalid credentials',
            check.reason === 'expired' ? 'the conversation token has expired' : 'the conversation token is not valid',
          );
        res.locals.identity = { kind: 'customer', conversationId: check.claims.conversationId } satisfies Identity;
        return next();
      }
      const cookieHeader = req.header('cookie');
      const sessionToken = cookieHeader ? parseCookies(cookieHeader)[sessionCookie] : undefined;
      if (!sessionToken) return next();
      const tokenHash = sha256(sessionToken);
      const session = await store.getSession(tokenHash);
      const user = session && (await store.getUser(session.userId));
      if (!session || !user || user.disabled) return next();
      res.locals.session = { tokenHash, session, user } satisfies SessionContext;
      // A cookie rides along with any request the browser makes, even one another site triggers: unsafe methods prove they come from our page.
      const exempt = req.method === 'POST' && req.path === '/api/auth/login';
      if (!safeMethods.has(req.method) && !exempt) {
        const given = req.header(csrfHeader);
        if (!given || !sameSecret(given, session.csrfToken)) {
          throw new HttpProblem(
            403,
            'CSRF token missing or wrong',
            `requests signed in by cookie must send the ${csrfHeader} header from /api/auth/login or /api/auth/me`,
          );
        }
      }
      res.locals.identity = userIdentity(user, 'session');
      return next();
    } catch (error) {
      return next(error);
    }
  };
}
