/**
 * Long conversations start a fresh history when Temporal suggests it, carrying their state. A
 * dedicated dev server suggests it early (after 40 history events) so the test can see it happen.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { exampleActivities } from '@baton/examples';
import { createBatonWorker } from '@baton/worker';
import { Conversations } from '@baton/server/client';
import { compileJourney } from '@baton/core/compiler';
import { startTemporalDevServer, type TemporalDevServer } from '@baton/cli/services';
import { connectStore, type Store } from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';
import { sharedWorkflowBundle } from '@baton/test-support/stack';

function longChatSource(echo = 'Turn {{turns}}: {{said}}') {
  return {
    schemaVersion: 1,
    id: 'long-chat',
    name: 'Long chat',
    variables: { said: { type: 'string' }, turns: { type: 'number', default: 0 } },
    nodes: [
      { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
      {
        id: 'listen',
        type: 'ask',
        position: { x: 0, y: 0 },
        data: { prompt: 'Go on', variable: 'said', timeoutSeconds: 3600 },
      },
      {
        id: 'count',
        type: 'set',
        position: { x: 0, y: 0 },
        data: { assign: [{ variable: 'turns', value: { '+': [{ var: 'turns' }, 1] } }] },
      },
      {
        id: 'enough',
        type: 'condition',
        position: { x: 0, y: 0 },
        data: { rules: [{ id: 'bye', when: { '==': [{ var: 'said' }, 'bye'] } }] },
      },
      { id: 'echo', type: 'message', position: { x: 0, y: 0 }, data: { text: echo } },
      {
        id: 'done',
        type: 'end',
        position: { x: 0, y: 0 },
        data: { outcome: 'resolved_by_bot', message: 'Bye after {{turns}} turns' },
      },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'listen' },
      { id: 'e2', source: 'listen', sourceHandle: 'reply', target: 'count' },
      { id: 'e3', source: 'listen', sourceHandle: 'timeout', target: 'done' },
      { id: 'e4', source: 'count', sourceHandle: 'next', target: 'enough' },
      { id: 'e5', source: 'enough', sourceHandle: 'bye', target: 'done' },
      { id: 'e6', source: 'enough', sourceHandle: 'else', target: 'echo' },
      { id: 'e7', source: 'echo', sourceHandle: 'next', target: 'listen' },
    ],
  };
}
const chat = compileJourney(longChatSource());

let temporal: TemporalDevServer;
let store: Store;

beforeAll(async () => {
  temporal = await startTemporalDevServer({
    uiPort: false,
    extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=40'],
  });
  store = await connectStore(requireServers().mongoUri, uniqueDbName('can'));
});
afterAll(async () => {
  await store
    ?.collection('journeys')
    .db.dropDatabase()
    .catch(() => undefined);
  await store?.close();
  await temporal?.stop();
});

it('continues as new with the whole conversation carried over', async () => {
  if (!chat.ok) throw new Error(JSON.stringify(chat.diagnostics));
  const native = await NativeConnection.connect({ address: temporal.address });
  const worker = await createBatonWorker({
    connection: native,
    taskQueue: 'can',
    store,
    definitions: exampleActivities,
    workflowBundle: await sharedWorkflowBundle(),
    registerCatalog: false,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection });
    const conversations = new Conversations(client, 'can');
    await conversations.start({
      conversationId: 'long-1',
      journey: chat.journey,
      customer: { id: 'c1' },
      variables: {},
      channel: 'test',
    });
    const firstRun = (await client.workflow.getHandle('long-1').describe()).runId;
    for (let turn = 1; turn <= 30; turn += 1) {
      const result = await conversations.sendMessage('long-1', {
        clientMessageId: `m${turn}`,
        text: `message ${turn}`,
      });
      expect(result.replies.map((r) => r.text)).toEqual([`Turn ${turn}: message ${turn}`, 'Go on']);
    }
    // A retry of a message from the first run is still recognised after continue-as-new.
    const retried = await conversations.sendMessage('long-1', { clientMessageId: 'm1', text: 'message 1' });
    expect(retried.replies.map((r) => r.text)).toEqual(['Turn 1: message 1', 'Go on']);

    const lastRun = (await client.workflow.getHandle('long-1').describe()).runId;
    expect(lastRun).not.toBe(firstRun);

    const bye = await conversations.sendMessage('long-1', { clientMessageId: 'bye', text: 'bye' });
    expect(bye.replies.map((r) => r.text)).toEqual(['Bye after 31 turns']);
    const view = await conversations.get('long-1');
    expect(view.status).toBe('ended');
    expect(view.transcript.filter((e) => e.from === 'customer')).toHaveLength(31);
    expect(view.transcript.map((e) => e.seq)).toEqual(view.transcript.map((_e, i) => i + 1));
  } finally {
    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
  }
}, 120_000);

it('a migrated conversation continues as new on the version it was moved to', async () => {
  const v1 = compileJourney({ ...longChatSource(), version: 1 });
  const v2 = compileJourney({ ...longChatSource('V2 turn {{turns}}: {{said}}'), version: 2 });
  if (!v1.ok || !v2.ok) throw new Error('long-chat does not compile');
  const native = await NativeConnection.connect({ address: temporal.address });
  const worker = await createBatonWorker({
    connection: native,
    taskQueue: 'can-mig',
    store,
    definitions: exampleActivities,
    workflowBundle: await sharedWorkflowBundle(),
    registerCatalog: false,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection });
    const conversations = new Conversations(client, 'can-mig');
    await conversations.start({
      conversationId: 'long-mig',
      journey: v1.journey,
      customer: { id: 'c1' },
      variables: {},
      channel: 'test',
    });
    const firstRun = (await client.workflow.getHandle('long-mig').describe()).runId;
    const first = await conversations.sendMessage('long-mig', { clientMessageId: 'm1', text: 'message 1' });
    expect(first.replies.map((r) => r.text)).toEqual(['Turn 1: message 1', 'Go on']);
    expect((await conversations.migrate('long-mig', v2.journey)).journey.version).toBe(2);
    for (let turn = 2; turn <= 30; turn += 1) {
      const result = await conversations.sendMessage('long-mig', {
        clientMessageId: `m${turn}`,
        text: `message ${turn}`,
      });
      expect(result.replies.map((r) => r.text)).toEqual([`V2 turn ${turn}: message ${turn}`, 'Go on']);
    }
    // The new run carries the journey it ran when it continued: v2, not the v1 of its first input.
    expect((await client.workflow.getHandle('long-mig').describe()).runId).not.toBe(firstRun);
    const view = await conversations.get('long-mig');
    expect(view.journey).toEqual({ id: 'long-chat', version: 2, hash: v2.journey.hash });
    expect((await client.workflow.getHandle('long-mig').describe()).memo).toMatchObject({
      journeyId: 'long-chat',
      journeyVersion: 2,
    });
    const bye = await conversations.sendMessage('long-mig', { clientMessageId: 'bye', text: 'bye' });
    expect(bye.replies.map((r) => r.text)).toEqual(['Bye after 31 turns']);
  } finally {
    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
  }
}, 120_000);
