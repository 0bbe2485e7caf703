/**
 * The API's error handler never answers Temporal's "not now" with 500: a request whose Update was
 * given up under a worker kill answers 503 with Retry-After (send it again, same ids), a refusal by
 * the conversation stays 409, and only what nothing knows stays 500. Real SDK error classes.
 */
import express from 'express';
import request from 'supertest';
import { ServiceError } from '@temporalio/client';
import { ConversationRejectedError, ConversationUnavailableError } from '../src/client';
import { grpcStatus } from '../src/client/transient';
import { errorHandler, unavailableRetryAfterSeconds } from '../src/api/middleware/errors';

function grpcError(code: number, name: string, details: string): Error {
  return Object.assign(new Error(`${code} ${name}: ${details}`), { code, details, metadata: {} });
}

function appThrowing(error: unknown, logged: unknown[]) {
  const app = express();
  app.post('/api/conversations/c1/messages', () => {
    throw error;
  });
  app.use(errorHandler((_message, loggedError) => logged.push(loggedError)));
  return app;
}

const cases: [string, unknown, number][] = [
  ['retries spent on "not now"', new ConversationUnavailableError('Workflow Task in failed state'), 503],
  [
    'the chaos run\'s raw "Workflow Task in failed state"',
    new ServiceError('Workflow Update failed', {
      cause: grpcError(
        grpcStatus.FAILED_PRECONDITION,
        'FAILED_PRECONDITION',
        'Unable to perform workflow execution update due to Workflow Task in failed state.',
      ),
    }),
    503,
  ],
  [
    'a query no worker answered in time',
    new ServiceError('Failed to query Workflow', {
      cause: grpcError(
        grpcStatus.DEADLINE_EXCEEDED,
        'DEADLINE_EXCEEDED',
        'query timed out before a worker could process it',
      ),
    }),
    503,
  ],
  ['a refusal by the conversation', new ConversationRejectedError('the conversation has ended'), 409],
  ['a bug', new TypeError('x is undefined'), 500],
];

describe('answers to Temporal failures', () => {
  it.each(cases)('answers %s with its status', async (_name, error, status) => {
    const logged: unknown[] = [];
    const answer = await request(appThrowing(error, logged)).post('/api/conversations/c1/messages').send({});
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
    if (status === 503) expect(answer.headers['retry-after']).toBe(String(unavailableRetryAfterSeconds));
    else expect(answer.headers['retry-after']).toBeUndefined();
    // Only the unknown is logged as unhandled.
    expect(logged).toHaveLength(status === 500 ? 1 : 0);
  });
});

it('leaves a request the deadline already answered alone: no second answer, the socket kept', async () => {
  const app = express();
  app.post('/api/conversations/c1/messages', (_req, res, next) => {
    // As the message deadline does: answer 503 first, the route's error comes after.
    res.status(503).json({ title: 'Still working on it' });
    setImmediate(() => next(new ConversationUnavailableError('late')));
  });
  const logged: unknown[] = [];
  app.use(errorHandler((_message, error) => logged.push(error)));
  const server = app.listen(0);
  let connections = 0;
  server.on('connection', () => (connections += 1));
  try {
    const { port } = server.address() as { port: number };
    const url = `http://127.0.0.1:${port}/api/conversations/c1/messages`;
    const first = await fetch(url, { method: 'POST' });
    expect(first.status).toBe(503);
    await first.text();
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The same keep-alive connection serves the next request.
    const second = await fetch(url, { method: 'POST' });
    expect(second.status).toBe(503);
    await second.text();
    expect(connections).toBe(1);
    expect(logged).toEqual([]);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
