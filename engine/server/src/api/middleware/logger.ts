import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import pino, { type Logger } from 'pino';

/**
 * Structured logs (pino, JSON lines). Request logs carry a request id and the conversation id when the
 * route has one; never message text, emails, card or phone numbers, nor credentials.
 */
export type { Logger } from 'pino';

/** Paths pino blanks wherever they appear in a logged object. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'body',
  'req.body',
  '*.body',
  '*.text',
  '*.email',
  '*.phone',
  'password',
  '*.password',
  'token',
  '*.token',
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.BATON_LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'silent' : 'info');
  const config = { level, base: { service: 'baton-api' }, redact: { paths: redactPaths, censor: '[redacted]' } };
  return options.destination ? pino(config, options.destination) : pino(config);
}

const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Cards and phones never inside a word or an id (a UUID's `e367-4178` is neither): the conversation ids in
// paths and log fields stay readable.
// 13–19 digits, optionally grouped with spaces or dashes.
const card = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g;
// International or national phone numbers: 7–15 digits with the usual separators.
const phone = /(?<![\w-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d(?:[ .-]?\d){6,14}(?![\w-])/g;

/** Blanks emails, card numbers and phone numbers in free text (cards before phones: a card is longer). */
export function redact(text: string): string {
  return text.replace(email, '[email]').replace(card, '[card]').replace(phone, '[phone]');
}

/** The error, as loggable fields, with personal data blanked from its message. */
/** The cause's name, message and gRPC code/details (a Temporal ServiceError says only "Workflow Update failed"). */
function causeFields(cause: unknown): Record<string, unknown> | undefined {
  if (!(cause instanceof Error)) return undefined;
  const { code, details } = cause as { code?: unknown; details?: unknown };
  return {
    type: cause.name,
    message: redact(cause.message),
    ...(typeof code === 'number' && { code }),
    ...(typeof details === 'string' && { details: redact(details) }),
  };
}

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const cause = causeFields(error.cause);
    return {
      err: {
        type: error.name,
        message: redact(error.message),
        stack: error.stack ? redact(error.stack) : undefined,
        ...(cause && { cause }),
      },
    };
  }
  return error === undefined || error === '' ? {} : { err: { message: redact(String(error)) } };
}

export function requestIdOf(res: Response): string | undefined {
  const id: unknown = res.locals.requestId;
  return typeof id === 'string' ? id : undefined;
}

const safeRequestId = /^[A-Za-z0-9._:-]{1,100}$/;

/** Gives each request an id (the caller's `x-request-id` when it is sane), answers it, and logs one line when it ends. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.header('x-request-id');
    const requestId = given && safeRequestId.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const conversationId = conversationIdOf(req);
      const fields = {
        requestId,
        method: req.method,
        // The path only: query strings may hold personal data.
        path: redact(req.originalUrl.split('?')[0] ?? ''),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        ...(conversationId && { conversationId }),
      };
      if (res.statusCode >= 500) logger.error(fields, 'request failed');
      else logger.info(fields, 'request');
    });
    next();
  };
}

function conversationIdOf(req: Request): string | undefined {
  const match = /^\/api\/conversations\/([^/?]+)/.exec(req.originalUrl);
  if (!match?.[1]) return undefined;
  try {
    return redact(decodeURIComponent(match[1])).slice(0, 200);
  } catch {
    return undefined;
  }
}
