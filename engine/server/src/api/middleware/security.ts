import type { Request, RequestHandler, Router } from 'express';
import express from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { HttpProblem, sendProblem } from '../problem';

export interface SecurityOptions {
  /** Origins allowed to call the API from a browser; none (CORS off) by default. */
  corsOrigins?: string[];
  /** Customer requests per IP per minute on the customer routes; 0 turns the limit off. */
  rateLimitPerMinute?: number;
  /** Window of the rate limit, in ms (tests shorten it). */
  rateLimitWindowMs?: number;
}

export function securityOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SecurityOptions {
  const origins = (env.BATON_CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  const perMinute = Number(env.BATON_RATE_LIMIT_PER_MINUTE);
  return {
    corsOrigins: origins,
    rateLimitPerMinute:
      env.BATON_RATE_LIMIT_PER_MINUTE !== undefined && Number.isFinite(perMinute) && perMinute >= 0 ? perMinute : 120,
  };
}

/** Security headers; the CSP lets the web app load its own scripts and styles and call its own API. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // The dev stack serves plain http on 127.0.0.1; a TLS proxy in front adds HSTS' effect anyway.
        upgradeInsecureRequests: null,
      },
    },
  });
}

/** CORS: off (no Access-Control-* headers) unless origins are configured. */
export function corsPolicy(origins: string[]): RequestHandler | undefined {
  if (origins.length === 0) return undefined;
  const allowed = new Set(origins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    maxAge: 600,
  });
}

/**
 * Per-IP limit on the customer routes. The counters live in this process's memory: with several API
 * processes behind a balancer each counts on its own (put a shared store in front for a global limit).
 */
export function customerRateLimit(options: SecurityOptions): Router {
  const router = express.Router();
  const limit = options.rateLimitPerMinute ?? 120;
  if (limit <= 0) return router;
  const limiter = rateLimit({
    windowMs: options.rateLimitWindowMs ?? 60_000,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req: Request, res, _next, used) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime
        ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000))
        : Math.ceil(used.windowMs / 1000);
      res.setHeader('Retry-After', String(seconds));
      sendProblem(
        res,
        new HttpProblem(
          429,
          'Too many requests',
          `at most ${limit} requests per ${Math.round(used.windowMs / 1000)} s from one address on this route; retry in ${seconds} s`,
        ),
      );
    },
  });
  router.post('/conversations', limiter);
  router.post('/conversations/:id/messages', limiter);
  router.post('/conversations/:id/survey', limiter);
  return markRateLimitOnly(router);
}

/**
 * Per-token limit on the customer routes, on top of the per-IP one: a customer behind a shared
 * address (an office, a mobile carrier) is not starved by others, and one leaked token cannot
 * flood its conversation. Counted per conversation token (its conversation); staff are not limited here.
 * Mounted after the identity middleware, which resolves the token.
 */
export function customerTokenRateLimit(options: { limit: number; windowMs?: number }): Router {
  const router = express.Router();
  if (options.limit <= 0) return router;
  const limiter = rateLimit({
    windowMs: options.windowMs ?? 60_000,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (_req, res) => (res.locals.identity as { kind?: string } | undefined)?.kind !== 'customer',
    keyGenerator: (_req, res) => `conversation:${(res.locals.identity as { conversationId: string }).conversationId}`,
    handler: (_req, res, _next, used) => {
      res.setHeader('Retry-After', String(Math.ceil(used.windowMs / 1000)));
      sendProblem(
        res,
        new HttpProblem(
          429,
          'Too many requests',
          `at most ${options.limit} requests per ${Math.round(used.windowMs / 1000)} s for one conversation`,
        ),
      );
    },
  });
  router.get('/conversations/:id', limiter);
  router.get('/conversations/:id/stream', limiter);
  router.get('/conversations/:id/expected-wait', limiter);
  router.post('/conversations/:id/messages', limiter);
  router.post('/conversations/:id/survey', limiter);
  return markRateLimitOnly(router);
}

/** Marks a router whose routes only count requests (they are not API routes): the route-by-role test skips it. */
function markRateLimitOnly(router: Router): Router {
  Object.defineProperty(router, 'rateLimitOnly', { value: true });
  return router;
}
