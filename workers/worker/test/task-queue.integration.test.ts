/**
 * A team's custom activity on its own task queue, run by its own activities-only worker: the
 * engine's worker (workflow + built-ins) neither registers nor announces it, the compiler takes the
 * queue from the catalog into the compiled journey, and the workflow calls the activity there. With
 * no worker on that queue, the node's timeout takes the journey to `error`.
 */
import { z } from 'zod';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { exampleActivities } from '@baton/examples';
import { activitiesForTaskQueue, createActivityWorker, createBatonWorker, defineActivity } from '../src';
import type { ActivityManifest } from '@baton/schemas';
import { Conversations } from '@baton/server/client';
import { compileJourney } from '@baton/core/compiler';
import { connectStore, type Store } from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';
import { sharedWorkflowBundle } from '@baton/test-support/stack';

const db = uniqueDbName('taskq');
const mainQueue = `tq-${db}`;
const teamQueue = `team-billing-${db}`;

/** What the team's activity saw of each call: the task queue it ran on. */
const ranOn: { customerId: string; taskQueue: string | undefined }[] = [];

const creditAccount = defineActivity({
  name: 'billing.creditAccount',
  description: 'Credits a goodwill amount to the customer account (billing team).',
  input: z.object({ customerId: z.string().min(1) }),
  output: z.object({ creditId: z.string(), worker: z.string() }),
  taskQueue: teamQueue,
  timeoutSeconds: 5,
  async run({ customerId }, ctx) {
    ranOn.push({ customerId, taskQueue: ctx.info?.taskQueue });
    await ctx.store.collection('credits').insertOne({ customerId, key: ctx.idempotencyKey() });
    return { creditId: `cr_${customerId}`, worker: 'billing' };
  },
});

function journey(id: string) {
  return {
    schemaVersion: 1,
    id,
    name: 'Goodwill credit',
    variables: { credit: { type: 'object' } },
    nodes: [
      { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
      {
        id: 'credit',
        type: 'activity',
        position: { x: 0, y: 100 },
        data: {
          activity: 'billing.creditAccount',
          input: { customerId: { var: 'customer.id' } },
          output: 'credit',
          timeoutSeconds: 2,
          retry: { maximumAttempts: 1 },
        },
      },
      {
        id: 'credited',
        type: 'end',
        position: { x: 0, y: 200 },
        data: { outcome: 'resolved_by_bot', message: 'Credit {{credit.creditId}} is on your account.' },
      },
      {
        id: 'failed',
        type: 'end',
        position: { x: 200, y: 200 },
        data: { outcome: 'abandoned', message: 'Sorry, the credit could not be applied.' },
      },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'credit' },
      { id: 'e2', source: 'credit', sourceHandle: 'ok', target: 'credited' },
      { id: 'e3', source: 'credit', sourceHandle: 'error', target: 'failed' },
    ],
  };
}

let store: Store;
let native: NativeConnection;
let connection: Connection;
let conversations: Conversations;
const stops: (() => Promise<void>)[] = [];

async function catalog(): Promise<Map<string, ActivityManifest>> {
  return new Map((await store.listActivities()).map((manifest) => [manifest.name, manifest]));
}

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process.
  }
  const { temporalAddress, temporalNamespace, mongoUri } = requireServers();
  store = await connectStore(mongoUri, db);
  native = await NativeConnection.connect({ address: temporalAddress });
  connection = await Connection.connect({ address: temporalAddress });
  conversations = new Conversations(new Client({ connection, namespace: temporalNamespace }), mainQueue);
  // The engine's worker is given every module's activities, the team's included, as a shared deployment would be.
  const main = await createBatonWorker({
    connection: native,
    namespace: temporalNamespace,
    taskQueue: mainQueue,
    store,
    definitions: [...exampleActivities, creditAccount],
    workflowBundle: await sharedWorkflowBundle(),
  });
  const running = main.run();
  stops.push(async () => {
    main.shutdown();
    await running;
  });
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await connection?.close();
  await native?.close();
  await store
    ?.collection('journeys')
    .db.dropDatabase()
    .catch(() => undefined);
  await store?.close();
});

it('the engine worker leaves an activity of another task queue alone', async () => {
  expect(activitiesForTaskQueue([...exampleActivities, creditAccount], mainQueue)).toEqual({
    served: exampleActivities,
    elsewhere: [creditAccount],
  });
  const names = [...(await catalog()).keys()];
  expect(names).toEqual(expect.arrayContaining(['accounts.sendResetLink', 'orders.lookup', 'baton.classify']));
  expect(names).not.toContain('billing.creditAccount');
  // Without the team's worker in the catalog, a journey calling it does not compile.
  const result = compileJourney(journey('credit-unknown'), { activities: await catalog() });
  expect(result.ok).toBe(false);
  expect(result.diagnostics).toContainEqual(expect.objectContaining({ code: 'unknown_activity', nodeId: 'credit' }));
});

it('an activities-only worker refuses activities of another queue and built-ins', async () => {
  const other = defineActivity({ ...creditAccount, name: 'billing.other', taskQueue: 'team-other', builtin: false });
  await expect(
    createActivityWorker({
      connection: native,
      taskQueue: teamQueue,
      store,
      definitions: [creditAccount, other],
      registerCatalog: false,
    }),
  ).rejects.toThrow(/another task queue cannot run on ".*": "billing.other" \(task queue "team-other"\)/);
  await expect(
    createActivityWorker({ connection: native, taskQueue: teamQueue, store, definitions: [], registerCatalog: false }),
  ).rejects.toThrow(/has no activities to run/);
});

it("runs the team's activity on the team's worker and takes ok", async () => {
  const team = await createActivityWorker({
    connection: native,
    namespace: requireServers().temporalNamespace,
    taskQueue: teamQueue,
    store,
    definitions: [creditAccount],
  });
  const running = team.run();
  stops.push(async () => {
    if (team.getState() === 'RUNNING') team.shutdown();
    await running;
  });

  const manifest = (await catalog()).get('billing.creditAccount');
  expect(manifest).toMatchObject({ name: 'billing.creditAccount', taskQueue: teamQueue, builtin: false });

  const compiled = compileJourney(journey('credit'), { activities: await catalog() });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  // The queue travels inside the compiled (pinned) journey.
  expect(compiled.journey.nodes.credit?.data.taskQueue).toBe(teamQueue);

  const view = await conversations.start({
    conversationId: `${db}-ok`,
    journey: compiled.journey,
    customer: { id: 'cus_7', name: 'Ana' },
    variables: {},
    channel: 'test',
  });
  expect(view.path.map((step) => `${step.nodeId}:${step.handle ?? ''}`)).toEqual([
    'start:next',
    'credit:ok',
    'credited:',
  ]);
  expect(view.outcome).toBe('resolved_by_bot');
  expect(view.transcript.at(-1)?.text).toBe('Credit cr_cus_7 is on your account.');
  expect(ranOn).toEqual([{ customerId: 'cus_7', taskQueue: teamQueue }]);
  expect(await store.collection('credits').countDocuments({ customerId: 'cus_7' })).toBe(1);
});

it('takes error when no worker serves the queue, after the node timeout', async () => {
  const nobody = `team-nobody-${db}`;
  const activities = await catalog();
  const manifest = activities.get('billing.creditAccount') as ActivityManifest;
  activities.set('billing.creditAccount', { ...manifest, taskQueue: nobody });
  const compiled = compileJourney(journey('credit-nobody'), { activities });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  expect(compiled.journey.nodes.credit?.data.taskQueue).toBe(nobody);

  const started = Date.now();
  const view = await conversations.start({
    conversationId: `${db}-nobody`,
    journey: compiled.journey,
    customer: { id: 'cus_8' },
    variables: {},
    channel: 'test',
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  expect(view.path.map((step) => `${step.nodeId}:${step.handle ?? ''}`)).toEqual([
    'start:next',
    'credit:error',
    'failed:',
  ]);
  expect(view.path[1]?.note).toMatch(/^billing\.creditAccount failed: /);
  expect(view.counters.failures).toBe(1);
  expect(view.outcome).toBe('abandoned');
  expect(view.transcript.at(-1)?.text).toBe('Sorry, the credit could not be applied.');
  expect(ranOn.map((call) => call.customerId)).not.toContain('cus_8');
});

it("a node's own taskQueue wins over the catalog's, with a warning", async () => {
  const source = journey('credit-own');
  (source.nodes[1]!.data as Record<string, unknown>).taskQueue = 'team-elsewhere';
  const compiled = compileJourney(source, { activities: await catalog() });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  expect(compiled.journey.nodes.credit?.data.taskQueue).toBe('team-elsewhere');
  expect(compiled.diagnostics).toContainEqual(
    expect.objectContaining({
      severity: 'warning',
      code: 'task_queue_mismatch',
      nodeId: 'credit',
      path: '/nodes/1/data/taskQueue',
    }),
  );
  // Without the catalog's queue, the compiled journey is as before (same hash as a journey that never heard of queues).
  const plain = compileJourney(journey('credit-plain'), {
    activities: new Map([['billing.creditAccount', { name: 'billing.creditAccount', input: { type: 'object' } }]]),
  });
  if (!plain.ok) throw new Error(JSON.stringify(plain.diagnostics));
  expect(plain.journey.nodes.credit?.data).not.toHaveProperty('taskQueue');
});
