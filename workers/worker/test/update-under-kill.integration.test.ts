/**
 * A customer's message never fails with 500 when the worker dies while its Update is in flight.
 * Once the conversation's workflow task has timed out twice on a dead worker, Temporal refuses
 * Updates until a worker completes it ("Workflow Update failed", cause `9 FAILED_PRECONDITION: Unable
 * to perform workflow execution update due to Workflow Task in failed state.`); the API sends them
 * again with the same update id within its budget and answers 201 once the worker is back, or 503
 * with Retry-After, after which the same clientMessageId lands once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '@baton/server/api';
import { Conversations } from '@baton/server/client';
import { compileJourney } from '@baton/core/compiler';
import { startWorkerProcess } from '@baton/cli/dev/worker-process';
import type { ManagedProcess } from '@baton/cli/services';
import { connectStore, type Store } from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

jest.setTimeout(240_000);

const source = JSON.parse(readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8')) as {
  id: string;
};

let store: Store;
let connection: Connection;
let app: ReturnType<typeof createApp>;
let worker: ManagedProcess | undefined;
let db: string;
let taskQueue: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startWorker(): Promise<void> {
  const { temporalAddress, mongoUri } = requireServers();
  worker = await startWorkerProcess({ temporalAddress, mongoUri, db, taskQueue });
}

beforeAll(async () => {
  const { temporalAddress, mongoUri } = requireServers();
  db = uniqueDbName('upkill');
  taskQueue = `tq-${db}`;
  store = await connectStore(mongoUri, db);
  connection = await Connection.connect({ address: temporalAddress });
  app = createApp({
    store,
    conversations: new Conversations(new Client({ connection }), taskQueue),
    catalog: () => store.listActivities(),
    log: () => undefined,
    auth: false,
  });
  await startWorker();
  const compiled = compileJourney(source, {
    activities: new Map((await store.listActivities()).map((a) => [a.name, a])),
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  await store.publishVersion({
    journeyId: source.id,
    source: source as Parameters<Store['publishVersion']>[0]['source'],
    compiled: compiled.journey,
  });
});

afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  await store
    ?.collection('journeys')
    .db.dropDatabase()
    .catch(() => undefined);
  await store?.close();
});

interface Answered {
  statuses: number[];
  retryAfter: (string | undefined)[];
}

/** Sends one message as a client does: again with the same clientMessageId after a 503, up to 10 times. */
async function sendUntilAnswered(id: string, clientMessageId: string, text: string): Promise<Answered> {
  const answered: Answered = { statuses: [], retryAfter: [] };
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const answer = await request(app).post(`/api/conversations/${id}/messages`).send({ clientMessageId, text });
    answered.statuses.push(answer.status);
    answered.retryAfter.push(answer.headers['retry-after'] as string | undefined);
    if (answer.status !== 503) return answered;
    await sleep(Number(answer.headers['retry-after'] ?? 1) * 1000);
  }
  return answered;
}

it('answers messages in flight across a worker SIGKILL with 201 (or 503 and Retry-After), never 500', async () => {
  const started = await request(app)
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', customer: { id: 'k1', name: 'Kim', email: 'k1@example.com' } })
    .expect(201);
  const id = started.body.conversationId as string;
  await request(app)
    .post(`/api/conversations/${id}/messages`)
    .send({ clientMessageId: 'm1', text: 'I forgot my password' })
    .expect(201);

  // The worker freezes (SIGSTOP) holding its polls: the message's workflow task goes to it and never
  // comes back, twice (10 s timeout each). From the third attempt on, Temporal refuses Updates until a
  // worker completes one: the case that answered 500. Then the frozen worker is SIGKILLed and a new one starts.
  worker!.child.kill('SIGSTOP');
  const second = sendUntilAnswered(id, 'm2', "No, it didn't work. This is ridiculous, I've tried everything");
  await sleep(22_000);
  const third = sendUntilAnswered(id, 'm3', 'Hello? Anyone there?');
  await sleep(1_000);
  worker!.child.kill('SIGKILL');
  await worker!.exited;
  worker = undefined;
  await startWorker();
  const answers = await Promise.all([second, third]);

  for (const answer of answers) {
    expect(answer.statuses.every((status) => status === 201 || status === 503)).toBe(true);
    expect(answer.statuses.at(-1)).toBe(201);
    answer.statuses.forEach((status, index) => {
      if (status === 503) expect(answer.retryAfter[index]).toMatch(/^\d+$/);
    });
  }
  const view = await request(app).get(`/api/conversations/${id}`).expect(200);
  const customerTexts = (view.body.conversation.transcript as { from: string; text: string }[])
    .filter((entry) => entry.from === 'customer')
    .map((entry) => entry.text);
  expect(customerTexts).toEqual([
    'I forgot my password',
    "No, it didn't work. This is ridiculous, I've tried everything",
    'Hello? Anyone there?',
  ]);
});
