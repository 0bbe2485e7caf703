/** The last of the chain: unknown API routes answer 404, and every error answers as problem+json. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { StoreConflictError, StoreNotFoundError } from '@baton/store';
import {
  ConversationNotFoundError,
  ConversationRejectedError,
  ConversationUnavailableError,
  transientTemporalReason,
} from '../../client';
import { HttpProblem, problemHandler } from '../problem';

export function apiNotFound(): RequestHandler {
  return (req, _res, next) => next(new HttpProblem(404, 'Not found', `no route ${req.method} ${req.originalUrl}`));
}

/** Seconds a 503 of this handler asks the caller to wait before sending the same request again. */
export const unavailableRetryAfterSeconds = 2;

/** The problem a known error of the client or the store answers as; undefined for the rest (500). */
function problemOf(error: unknown): HttpProblem | undefined {
  if (error instanceof ConversationNotFoundError) return new HttpProblem(404, 'Conversation not found', error.message);
  if (error instanceof ConversationRejectedError)
    return new HttpProblem(409, 'Conversation refused the request', error.message);
  // Temporal said "not now" (a worker died with the conversation's workflow task…): never a 500.
  if (error instanceof ConversationUnavailableError || transientTemporalReason(error) !== undefined)
    return new HttpProblem(
      503,
      'Conversation busy',
      'the conversation cannot take the request right now; send the same request again (same clientMessageId): it is applied once',
    );
  if (error instanceof StoreNotFoundError) return new HttpProblem(404, 'Not found', error.message);
  if (error instanceof StoreConflictError) return new HttpProblem(409, 'Conflict', error.message);
  if (
    error instanceof Error &&
    /ECONNREFUSED|MongoServerSelectionError|MongoNetworkError|UNAVAILABLE/.test(`${error.name} ${error.message}`)
  ) {
    return new HttpProblem(
      503,
      'A backing service is unavailable',
      'Temporal or MongoDB cannot be reached; retry shortly',
    );
  }
  return undefined;
}

export function errorHandler(log: (message: string, error?: unknown) => void): ErrorRequestHandler {
  const handle = problemHandler(problemOf, (error) => log('unhandled API error', error));
  // A 503 carries Retry-After: the request is worth sending again (same ids) shortly.
  return (error, req, res, next) => {
    // Already answered (the message deadline's 503): the route's late error goes to nobody. Passing
    // it on would make Express destroy the socket, and a client's next request on that keep-alive
    // connection failed with "other side closed" (UND_ERR_SOCKET) in the fault suite.
    if (res.writableEnded) return;
    if (!res.headersSent && problemOf(error)?.status === 503)
      res.setHeader('retry-after', String(unavailableRetryAfterSeconds));
    handle(error, req, res, next);
  };
}
