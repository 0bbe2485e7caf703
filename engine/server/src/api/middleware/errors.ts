/** The last of the chain: unknown API routes answer 404, and every error answers as problem+json. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { StoreConflictError, StoreNotFoundError } from '@baton/store';
import { ConversationNotFoundError, ConversationRejectedError } from '../../client';
import { HttpProblem, problemHandler } from '../problem';

export function apiNotFound(): RequestHandler {
  return (req, _res, next) => next(new HttpProblem(404, 'Not found', `no route ${req.method} ${req.originalUrl}`));
}

/** The problem a known error of the client or the store answers as; undefined for the rest (500). */
function problemOf(error: unknown): HttpProblem | undefined {
  if (error instanceof ConversationNotFoundError) return new HttpProblem(404, 'Conversation not found', error.message);
  if (error instanceof ConversationRejectedError)
    return new HttpProblem(409, 'Conversation refused the request', error.message);
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
  return problemHandler(problemOf, (error) => log('unhandled API error', error));
}
