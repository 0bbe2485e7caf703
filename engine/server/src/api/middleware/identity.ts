/**
 * Who is calling: with access control on, the session cookie, API key or customer token (auth/
 * middleware.ts), then the per-token customer limit; with it off, everyone is `open`.
 */
import type { RequestHandler } from 'express';
import type { AuthStore } from '@baton/store/auth';
import type { Identity } from '../access';
import { identify, type AuthOptions } from '../auth';
import { customerTokenRateLimit } from './security';

export function identification(auth: AuthOptions | false, authStore: AuthStore | undefined): RequestHandler[] {
  if (auth && authStore)
    return [
      identify(authStore, auth),
      // Mounted at /api by the caller: the per-token limit counts the customer routes only.
      customerTokenRateLimit({
        limit: auth.customerRequestsPerToken ?? 60,
        ...(auth.rateLimitWindowMs !== undefined && { windowMs: auth.rateLimitWindowMs }),
      }),
    ];
  const open: RequestHandler = (_req, res, next) => {
    res.locals.identity = { kind: 'open' } satisfies Identity;
    next();
  };
  return [open];
}
