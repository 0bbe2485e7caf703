/**
 * Graceful shutdown of real processes: SIGTERM to the worker in the middle of conversations (it
 * finishes what runs, exits 0, the next worker goes on: nothing lost), and SIGTERM to the API
 * process with a request in flight and an event stream open (the request is answered, the stream
 * ends, the read model write it left running completes, the process exits 0). The worker also serves its Prometheus metrics here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../src/api';
import { authStoreOf, issueApiKey } from '../src/api/auth';
import { Conversations } from '../src/client';
import { compileJourney } from '@baton/core/compiler';
import { startWorkerProcess } from '@baton/cli/dev/worker-process';
import { freePort, repoRoot, spawnManaged, type ManagedProcess } from '@baton/cli/services';
import { connectStore, type Store } from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

jest.setTimeout(300_000);

const source = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Parameters<Store['publishVersion']>[0]['source'];
const frustrated = "No, it didn't work. This is ridiculous, I've tried everything";

let store: Store;
let connection: Connection;
let conversations: Conversations;
let db: string;
let taskQueue: string;
let metricsPort: number;
const started: ManagedProcess[] = [];

async function startWorker(env: Record<string, string> = {}): Promise<ManagedProcess> {
  const { temporalAddress, mongoUri } = requireServers();
  const worker = await startWorkerProcess({
    temporalAddress,
    mongoUri,
    db,
    taskQueue,
    env: { BATON_SHUTDOWN_GRACE_MS: '20000', ...env },
  });
  started.push(worker);
  return worker;
}

beforeAll(async () => {
  const { temporalAddress, mongoUri } = requireServers();
  db = uniqueDbName('shutdown');
  taskQueue = `tq-${db}`;
  store = await connectStore(mongoUri, db);
  connection = await Connection.connect({ address: temporalAddress });
  conversations = new Conversations(new Client({ connection }), taskQueue);
  metricsPort = await freePort();
});

afterAll(async () => {
  for (const process of started) await process.stop();
  await connection?.close();
  await store
    ?.collection('journeys')
    .db.dropDatabase()
    .catch(() => undefined);
  await store?.close();
});

async function publish(): Promise<void> {
  if (await store.getVersion('password-reset')) return;
  const compiled = compileJourney(source, {
    activities: new Map((await store.listActivities()).map((a) => [a.name, a])),
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  await store.publishVersion({ journeyId: 'password-reset', source, compiled: compiled.journey });
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

it('SIGTERM stops the worker cleanly mid-conversation (exit 0) and the next worker loses nothing; its metrics count the work', async () => {
  let worker = await startWorker({
    BATON_WORKER_METRICS_PORT: String(metricsPort),
    BATON_WORKER_METRICS_HOST: '127.0.0.1',
  });
  await publish();
  const app = createApp({
    store,
    conversations,
    catalog: () => store.listActivities(),
    log: () => undefined,
    auth: false,
  });
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const res = await request(app)
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer: { id: `c${i}`, name: `Cust${i}`, email: `c${i}@example.com` } })
      .expect(201);
    ids.push(res.body.conversationId as string);
    await request(app)
      .post(`/api/conversations/${res.body.conversationId}/messages`)
      .send({ clientMessageId: 'm1', text: 'I forgot my password' })
      .expect(201);
  }

  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(
    sample(metrics, 'baton_worker_activity_executions_total{activity="accounts.sendResetLink",outcome="completed"}'),
  ).toBe(3);
  expect(sample(metrics, 'baton_worker_workflow_tasks_total{workflow_type="journeyWorkflow"}')).toBeGreaterThanOrEqual(
    3,
  );
  expect(metrics).toContain('# TYPE baton_worker_activity_failures_total counter');

  // Messages in flight, then SIGTERM: the worker stops polling, finishes what runs, and exits 0.
  const inFlight = ids.map((id) =>
    request(app).post(`/api/conversations/${id}/messages`).send({ clientMessageId: 'm2', text: frustrated }),
  );
  worker.child.kill('SIGTERM');
  const exit = await worker.exited;
  expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
  expect(worker.output.toString()).toContain('worker stopped');

  worker = await startWorker();
  const answers = await Promise.all(inFlight);
  for (const answer of answers) expect(answer.status).toBe(201);

  for (const id of ids) {
    const view = await conversations.get(id);
    const customer = view.transcript.filter((entry) => entry.from === 'customer').map((entry) => entry.clientMessageId);
    expect(customer).toEqual(['m1', 'm2']);
    expect(view.waiting?.kind).toBe('agent');
  }
  const tickets = await store
    .collection<{ conversationId: string }>('tickets')
    .find({ conversationId: { $in: ids } })
    .toArray();
  expect(tickets.map((ticket) => ticket.conversationId).sort()).toEqual([...ids].sort());
  const outbox = await store.listOutbound({});
  for (const id of ids)
    expect(outbox.filter((m) => m.idempotencyKey.includes(id) && m.subject === 'Reset your password')).toHaveLength(1);
  await worker.stop();
});

it('SIGTERM to the API process ends event streams, answers the request in flight, and exits 0', async () => {
  const { temporalAddress, mongoUri } = requireServers();
  let worker = await startWorker();
  await publish();
  const key = await issueApiKey(authStoreOf(store.collection('users').db), {
    name: 'shutdown test',
    roles: ['admin'],
    createdBy: 'test',
  });
  const port = await freePort();
  const api = spawnManaged(
    'api',
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(repoRoot(), 'engine/server/src/api/main.ts')],
    {
      cwd: repoRoot(),
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: temporalAddress,
        MONGODB_URI: mongoUri,
        BATON_DB: db,
        BATON_TASK_QUEUE: taskQueue,
        BATON_API_HOST: '127.0.0.1',
        BATON_API_PORT: String(port),
        BATON_LOG_LEVEL: 'warn',
        BATON_SHUTDOWN_GRACE_MS: '120000',
      },
    },
  );
  started.push(api);
  expect(await api.waitForOutput(/api listening/, 120_000)).toBe(true);
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

  const start = await post('/api/conversations', {
    journeyId: 'password-reset',
    customer: { id: 'c9', name: 'Ada', email: 'ada@example.com' },
  });
  expect(start.status).toBe(201);
  const opened = (await start.json()) as { conversationId: string; token: string };
  const id = opened.conversationId;
  // Only the customer writes as the customer: its messages go with the start's token.
  const asCustomer = { authorization: `Bearer ${opened.token}`, 'content-type': 'application/json' };
  const say = (body: unknown) =>
    fetch(`${base}/api/conversations/${id}/messages`, {
      method: 'POST',
      headers: asCustomer,
      body: JSON.stringify(body),
    });
  expect((await say({ clientMessageId: 'm1', text: 'I forgot my password' })).status).toBe(201);

  const stream = await fetch(`${base}/api/conversations/${id}/stream`, { headers });
  expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  const first = await reader.read();
  expect(new TextDecoder().decode(first.value)).toContain('event: message');

  // With no worker, the next message waits inside the API for the conversation's answer: a request in flight.
  await worker.stop();
  const inFlight = say({ clientMessageId: 'm2', text: frustrated });
  // Give the request time to reach the API (ordering, not a measured duration).
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  api.child.kill('SIGTERM');
  expect(await api.waitForOutput(/api stopping \(SIGTERM\)/, 60_000)).toBe(true);

  // The event stream ends (the browser would reconnect elsewhere with Last-Event-ID).
  let ended: boolean;
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
    }
    ended = true;
  } catch {
    ended = true; // cut connection: also an end
  }
  expect(ended).toBe(true);
  expect(api.exitInfo()).toBeUndefined(); // still finishing the request in flight

  worker = await startWorker();
  const answer = await inFlight;
  expect(answer.status).toBe(201);
  const body = (await answer.json()) as { replies: { text: string }[] };
  expect(body.replies.map((reply) => reply.text)).toContain(
    "I'm bringing in a specialist who can dive deeper into this for you.",
  );
  const exit = await api.exited;
  expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
  expect(api.output.toString()).toContain('api stopped');
  // The read model written after that answer was waited for, not cut by the store closing.
  expect(api.output.toString()).not.toContain('could not project conversation');
  const projected = await store.getConversation(id);
  expect(
    projected?.transcript.filter((entry) => entry.from === 'customer').map((entry) => entry.clientMessageId),
  ).toEqual(['m1', 'm2']);

  const view = await conversations.get(id);
  expect(view.transcript.filter((entry) => entry.from === 'customer').map((entry) => entry.clientMessageId)).toEqual([
    'm1',
    'm2',
  ]);
  await worker.stop();
});
