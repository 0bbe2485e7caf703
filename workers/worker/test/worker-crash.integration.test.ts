/**
 * Kill the worker with SIGKILL in the middle of conversations and start it again: the
 * conversations go on with nothing lost or duplicated (Temporal replays them from history).
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

const source = JSON.parse(readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8')) as {
  id: string;
};
const sam = { id: 'agent-sam', name: 'Sam' };

let store: Store;
let connection: Connection;
let app: ReturnType<typeof createApp>;
let worker: ManagedProcess | undefined;
let db: string;
let taskQueue: string;

async function startWorker(): Promise<void> {
  const { temporalAddress, mongoUri } = requireServers();
  worker = await startWorkerProcess({ temporalAddress, mongoUri, db, taskQueue });
}

function killWorker(): Promise<unknown> {
  const current = worker;
  if (!current) throw new Error('no worker running');
  current.child.kill('SIGKILL');
  worker = undefined;
  return current.exited;
}

beforeAll(async () => {
  const { temporalAddress, mongoUri } = requireServers();
  db = uniqueDbName('crash');
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
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  await store
    ?.collection('journeys')
    .db.dropDatabase()
    .catch(() => undefined);
  await store?.close();
});

const say = (id: string, clientMessageId: string, text: string) =>
  request(app).post(`/api/conversations/${id}/messages`).send({ clientMessageId, text });

it('keeps every conversation whole across two SIGKILLs of the worker', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const res = await request(app)
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer: { id: `c${i}`, name: `Cust${i}`, email: `c${i}@example.com` } })
      .expect(201);
    ids.push(res.body.conversationId);
  }
  for (const id of ids) await say(id, 'm1', 'I forgot my password').expect(201);

  // Kill while messages are in flight: the updates wait for a worker, then complete once.
  const inFlight = ids.map((id) => say(id, 'm2', "No, it didn't work. This is ridiculous, I've tried everything"));
  await new Promise((resolve) => setTimeout(resolve, 150));
  await killWorker();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await startWorker();
  const answers = await Promise.all(inFlight);
  for (const answer of answers) {
    expect(answer.status).toBe(201);
    expect(answer.body.replies.map((e: { text: string }) => e.text)).toContain(
      "I'm bringing in a specialist who can dive deeper into this for you.",
    );
  }

  // A retried request after the crash is not a second message.
  const retried = await say(ids[0] as string, 'm2', "No, it didn't work. This is ridiculous, I've tried everything");
  expect(retried.body.replies).toEqual(answers[0]?.body.replies);

  // Kill again while the conversations wait for an agent, then finish them all.
  await killWorker();
  await startWorker();
  const inbox = await request(app).get('/api/inbox').expect(200);
  for (const id of ids) {
    const tickets = inbox.body.tickets.filter((t: { conversationId: string }) => t.conversationId === id);
    expect(tickets).toHaveLength(1);
    const ticketId = tickets[0].ticketId as string;
    await request(app).post(`/api/tickets/${ticketId}/claim`).send({ agent: sam }).expect(200);
    await request(app).post(`/api/tickets/${ticketId}/resolve`).send({ agent: sam }).expect(200);
    const done = await request(app).post(`/api/conversations/${id}/survey`).send({ ces: 5, csat: 4 }).expect(200);
    expect(done.body.conversation).toMatchObject({ status: 'ended', outcome: 'resolved_by_agent' });

    const transcript = done.body.conversation.transcript as { from: string; text: string; seq: number }[];
    expect(transcript.map((e) => e.seq)).toEqual(transcript.map((_e, index) => index + 1));
    const customerTexts = transcript.filter((e) => e.from === 'customer').map((e) => e.text);
    expect(customerTexts).toEqual([
      'I forgot my password',
      "No, it didn't work. This is ridiculous, I've tried everything",
    ]);
    const botTexts = transcript.filter((e) => e.from === 'bot').map((e) => e.text);
    expect(new Set(botTexts.filter((t) => !t.startsWith('Please tell us'))).size).toBe(
      botTexts.filter((t) => !t.startsWith('Please tell us')).length,
    );
  }
  // One reset email per conversation, whatever the crashes did to the activity.
  const outbox = await store.listOutbound({});
  for (const id of ids)
    expect(outbox.filter((m) => m.idempotencyKey.includes(id) && m.subject === 'Reset your password')).toHaveLength(1);
}, 240_000);
