/**
 * The worker on the real Temporal dev server of the test setup: the journey workflow with the
 * built-in and the example activities, driven through the engine's client facade.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import { compileJourney } from '@baton/core/compiler';
import { Conversations } from '@baton/server/client';
import { connectStore, type Store } from '@baton/store';
import { exampleActivities } from '@baton/examples';
import { bundleBatonWorkflows, createBatonWorker } from '../src/worker';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

jest.setTimeout(120_000);

const silentLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const source: unknown = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
);

let store: Store;
let nativeConnection: NativeConnection;
let connection: Connection;
let worker: Worker;
let running: Promise<void>;
let conversations: Conversations;
const taskQueue = `baton-worker-test-${process.pid}-${Date.now().toString(36)}`;

beforeAll(async () => {
  try {
    Runtime.install({
      logger: silentLogger,
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
    });
  } catch {
    // Another test file of this jest worker installed the runtime already.
  }
  const servers = requireServers();
  store = await connectStore(servers.mongoUri, uniqueDbName('baton_test_worker'));
  nativeConnection = await NativeConnection.connect({ address: servers.temporalAddress });
  worker = await createBatonWorker({
    connection: nativeConnection,
    namespace: servers.temporalNamespace,
    taskQueue,
    store,
    definitions: exampleActivities,
    workflowBundle: await bundleBatonWorkflows({ logger: silentLogger }),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    stickyQueueScheduleToStartTimeoutMs: 4000,
  });
  running = worker.run();
  connection = await Connection.connect({ address: servers.temporalAddress });
  conversations = new Conversations(new Client({ connection, namespace: servers.temporalNamespace }), taskQueue);
});

afterAll(async () => {
  if (worker) {
    worker.shutdown();
    await running;
  }
  await connection?.close();
  await nativeConnection?.close();
  if (store) {
    await store.collection('journeys').db.dropDatabase();
    await store.close();
  }
});

it('passes its sticky timeout to Temporal (BATON_STICKY_TIMEOUT_MS in main.ts)', () => {
  expect(worker.options.stickyQueueScheduleToStartTimeoutMs).toBe(4000);
});

it('announces its activity catalog in the store', async () => {
  const names = (await store.listActivities()).map((activity) => activity.name);
  expect(names).toEqual(
    expect.arrayContaining(['baton.classify', 'baton.openTicket', 'accounts.sendResetLink', 'orders.lookup']),
  );
});

it('runs the password-reset journey: reset link, yes, survey, final projection', async () => {
  const compiled = compileJourney(source);
  if (!compiled.ok) throw new Error('does not compile');
  const conversationId = `conv-worker-${Date.now().toString(36)}`;
  const customer = { id: 'cus_7', name: 'Ann', email: 'ann@example.com' };
  let view: { status: string; waiting: { kind: string } | null } = await conversations.start({
    conversationId,
    journey: { ...compiled.journey, version: 1 },
    customer,
    variables: {},
    channel: 'test',
  });
  expect(view.waiting?.kind).toBe('reply');

  const first = await conversations.sendMessage(conversationId, {
    clientMessageId: 'm1',
    text: 'I forgot my password',
  });
  expect(first.replies.map((entry) => entry.text)).toEqual(["I've sent a reset link to ann@example.com. Did it work?"]);
  const emails = await store.listOutbound({ to: 'ann@example.com' });
  expect(emails.map((email) => email.subject)).toEqual(['Reset your password']);

  const second = await conversations.sendMessage(conversationId, {
    clientMessageId: 'm2',
    text: 'yes it worked, thanks!',
  });
  expect(second.conversation.waiting?.kind).toBe('survey');
  view = await conversations.answerSurvey(conversationId, { ces: 7, csat: 5 });
  expect(view).toMatchObject({ status: 'ended', outcome: 'resolved_by_bot' });

  expect(await store.getSurvey(conversationId)).toMatchObject({ ces: 7, csat: 5, customerId: 'cus_7' });
  // The workflow's last activity stores the final projection.
  let stored = await store.getConversation(conversationId);
  for (let i = 0; i < 50 && stored?.status !== 'ended'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stored = await store.getConversation(conversationId);
  }
  expect(stored).toMatchObject({
    conversationId,
    journeyId: 'password-reset',
    version: 1,
    status: 'ended',
    outcome: 'resolved_by_bot',
  });
});

it('hands a frustrated customer to a person with a ticket that tells the story', async () => {
  const compiled = compileJourney(source);
  if (!compiled.ok) throw new Error('does not compile');
  const conversationId = `conv-worker-h-${Date.now().toString(36)}`;
  await conversations.start({
    conversationId,
    journey: { ...compiled.journey, version: 1 },
    customer: { id: 'cus_8', name: 'Bob', email: 'bob@example.com' },
    variables: {},
    channel: 'test',
  });
  const reply = await conversations.sendMessage(conversationId, {
    clientMessageId: 'm1',
    text: "I can't log in and I've tried everything, this is ridiculous",
  });
  expect(reply.replies.map((entry) => entry.text)).toContain(
    "I'm bringing in a specialist who can dive deeper into this for you.",
  );
  expect(reply.conversation.waiting).toMatchObject({ kind: 'agent', ticketId: `${conversationId}-1` });
  const ticket = await store.getTicket(`${conversationId}-1`);
  expect(ticket).toMatchObject({
    status: 'pending',
    queue: 'accounts',
    priority: 'high',
    sentiment: { label: 'negative' },
  });
  expect(ticket?.summary).toMatch(/Customer asked: "I can't log in/);
  expect(ticket?.stepsTried.join('\n')).toMatch(/Triage/);
});
