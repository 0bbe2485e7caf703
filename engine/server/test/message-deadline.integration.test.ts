/**
 * A handoff whose ticket write keeps failing does not hold the customer's request: past its deadline
 * (BATON_MESSAGE_DEADLINE_SECONDS) the message answers 503 problem+json with Retry-After while the
 * workflow goes on, and once the ticket store is back the same request answers the handoff.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import request from 'supertest';
import { exampleActivities } from '@baton/examples';
import { createBatonWorker } from '@baton/worker';
import type { Store } from '@baton/store';
import { createApp } from '../src/api';
import { createLogger } from '../src/api/middleware/logger';
import { requireServers } from '@baton/test-support/servers';
import { sharedWorkflowBundle, startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(90_000);

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;

/** The worker's store, whose ticket writes fail while `down` is true. */
const ticketStore = { down: true };
function withFailingTickets(store: Store): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'openTicket' && ticketStore.down)
        return () => Promise.reject(new Error('ticket store unavailable (test)'));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

let stack: TestStack;
let stopWorker: () => Promise<void>;
beforeAll(async () => {
  stack = await startTestStack({ worker: false });
  const { temporalAddress, temporalNamespace } = requireServers();
  const connection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await createBatonWorker({
    connection,
    namespace: temporalNamespace,
    taskQueue: stack.taskQueue,
    store: withFailingTickets(stack.store),
    definitions: exampleActivities,
    workflowBundle: await sharedWorkflowBundle(),
  });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
    await connection.close();
  };
});
afterAll(async () => {
  await stopWorker?.();
  await stack?.stop();
});

function appWithDeadline(seconds: string) {
  const before = process.env.BATON_MESSAGE_DEADLINE_SECONDS;
  process.env.BATON_MESSAGE_DEADLINE_SECONDS = seconds;
  try {
    return createApp({
      store: stack.store,
      conversations: stack.conversations,
      background: stack.background,
      catalog: () => stack.store.listActivities(),
      log: () => undefined,
      logger: createLogger({ level: 'silent' }),
      security: false,
      auth: false,
    });
  } finally {
    if (before === undefined) delete process.env.BATON_MESSAGE_DEADLINE_SECONDS;
    else process.env.BATON_MESSAGE_DEADLINE_SECONDS = before;
  }
}

it('answers 503 with Retry-After within the deadline while the ticket write fails, then the handoff', async () => {
  const app = appWithDeadline('3');
  await request(app).post('/api/journeys').send(journey).expect(201);
  await request(app).post('/api/journeys/password-reset/publish').send({}).expect(201);
  const started = await request(app)
    .post('/api/conversations')
    .send({
      journeyId: 'password-reset',
      customer: { id: 'c-1', name: 'Ana', email: 'ana@example.com' },
      channel: 'web',
    })
    .expect(201);
  const id: string = started.body.conversationId;
  await request(app)
    .post(`/api/conversations/${id}/messages`)
    .send({ clientMessageId: 'm1', text: 'I forgot my password' })
    .expect(201);

  const angry = { clientMessageId: 'm2', text: "No, it didn't work. This is ridiculous, I've tried everything" };
  const sentAt = Date.now();
  const waited = await request(app).post(`/api/conversations/${id}/messages`).send(angry);
  expect(waited.status).toBe(503);
  expect(Date.now() - sentAt).toBeLessThan(10_000);
  expect(waited.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(waited.headers['retry-after']).toBe('5');
  expect(waited.body.detail).toMatch(/same clientMessageId/);

  // The workflow went on: it is at the handoff, retrying the ticket.
  const during = await stack.conversations.get(id);
  expect(during.waiting).toMatchObject({ kind: 'activity' });

  ticketStore.down = false;
  const answered = await request(appWithDeadline('60')).post(`/api/conversations/${id}/messages`).send(angry);
  expect([200, 201]).toContain(answered.status);
  expect(answered.body.replies.map((entry: { text: string }) => entry.text)).toContain(
    "I'm bringing in a specialist who can dive deeper into this for you.",
  );
  expect(answered.body.conversation.waiting).toMatchObject({ kind: 'agent', nodeId: 'escalate' });
  expect(await stack.store.getTicket(`${id}-1`)).toMatchObject({ status: 'pending' });
});

it('refuses a deadline that is not a positive number of seconds', () => {
  expect(() => appWithDeadline('soon')).toThrow(/BATON_MESSAGE_DEADLINE_SECONDS/);
});
