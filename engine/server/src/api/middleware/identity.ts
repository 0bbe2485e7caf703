/**
 * Who is calling: with access control on, the session cookie, API key or customer token (auth/
 * middleware.ts), then the per-token customer limit; with it off, everyone is `open`.
 */
import type { RequestHandler } from 'express';
import type { AuthStore } from '@baton/store/auth';
import type { Identity } from '../access';
import { identify, type AuthOptions } from '../auth';
import { customerTokenRateLimit } from './security';

/** `identify` goes before every route; `perTokenLimit` (when access control is on) before the `/api` routes. */
export function identification(
  auth: AuthOptions | false,
  authStore: AuthStore | undefined,
): { identify: RequestHandler; perTokenLimit?: RequestHandler } {
  if (auth && authStore)
    return {
      identify: identify(authStore, auth),
      perTokenLimit: customerTokenRateLimit({
        limit: auth.customerRequestsPerToken ?? 60,
        ...(auth.rateLimitWindowMs !== undefined && { windowMs: auth.rateLimitWindowMs }),
      }),
    };
  return {
    identify: (_req, res, next) => {
      res.locals.identity = { kind: 'open' } satisfies Identity;
      next();
    },
  };
}
