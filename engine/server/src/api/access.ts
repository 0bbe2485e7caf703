/**
 * Who may call a route. Every route of the API declares its audience with `allow(...)`;
 * the identity is resolved once per request (session cookie, API key or customer token)
 * by the auth middleware and kept in `res.locals.identity`.
 *
 * Audiences:
 * - a staff role (`admin`, `designer`, `agent`): a signed-in user or API key holding it; `admin` holds every role;
 * - `customer`: the holder of the signed token of the conversation named by the route's `:id`
 *   (staff with the `agent` role may read and act on conversations too);
 * - `public`: anyone (health, sign-in, starting a conversation from the widget).
 */
import type { RequestHandler, Response } from 'express';
import { HttpProblem } from './problem';

import { staffRoles, type StaffRole } from '@baton/schemas';

export { staffRoles, type StaffRole };
export type Audience = StaffRole | 'customer' | 'public';

export type Identity =
  | { kind: 'user'; userId: string; email: string; name: string; roles: StaffRole[]; via: 'session' | 'apiKey' }
  | { kind: 'customer'; conversationId: string }
  /** Access control switched off (`createApp({ auth: false })`): only for tests of business logic. */
  | { kind: 'open' };

/**
 * Who acts on a ticket: a person signed in acts as themselves (never as someone named in the body);
 * an API key is a service (an integration relaying for its agents), so the body's `agent` names who
 * acts, else the key itself; with access control off, the body's `agent`.
 */
export function actingAgent(
  res: Response,
  fromBody: { id: string; name: string } | undefined,
): { id: string; name: string } {
  const identity = identityOf(res);
  if (identity?.kind === 'user' && (identity.via === 'session' || !fromBody))
    return { id: identity.userId, name: identity.name };
  if (fromBody) return fromBody;
  throw new HttpProblem(400, 'Invalid request body', '/agent: required (who is acting)', [
    { path: '/agent', message: 'required' },
  ]);
}

export function identityOf(res: Response): Identity | undefined {
  return res.locals.identity as Identity | undefined;
}

export function hasRole(identity: Identity | undefined, role: StaffRole): boolean {
  if (!identity) return false;
  if (identity.kind === 'open') return true;
  return identity.kind === 'user' && (identity.roles.includes(role) || identity.roles.includes('admin'));
}

/** The conversation a request is about: the `:id` of conversation routes. */
function conversationParam(params: Record<string, string | string[] | undefined>): string | undefined {
  const value = params.id;
  return typeof value === 'string' ? value : undefined;
}

/** Lets the request through when its identity belongs to one of the audiences; else 401 (no identity) or 403. */
export function allow(...audiences: Audience[]): RequestHandler {
  const handler: RequestHandler = (req, res, next) => {
    const identity = identityOf(res);
    if (audiences.includes('public') || identity?.kind === 'open') return next();
    if (
      identity?.kind === 'user' &&
      audiences.some((audience) => audience !== 'customer' && audience !== 'public' && hasRole(identity, audience))
    )
      return next();
    if (
      identity?.kind === 'customer' &&
      audiences.includes('customer') &&
      conversationParam(req.params) === identity.conversationId
    )
      return next();
    if (!identity)
      return next(
        new HttpProblem(401, 'Sign-in required', 'this route needs a session, an API key or a conversation token'),
      );
    return next(new HttpProblem(403, 'Forbidden', `this route is for: ${audiences.join(', ')}`));
  };
  // Read by the route-by-role test to check that every route declares its audience.
  Object.defineProperty(handler, 'audiences', { value: audiences });
  return handler;
}
