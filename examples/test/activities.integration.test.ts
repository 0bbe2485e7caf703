/**
 * The example custom activities through the registry's wrappers (as the worker registers them), in
 * Temporal's MockActivityEnvironment (the SDK's own harness for activity context), against the
 * real MongoDB-wire server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import type { Info } from '@temporalio/activity';
import { compileJourney } from '@baton/core/compiler';
import { startConversation, step, type ActivityCall } from '@baton/core/interpreter';
import { connectStore, type Store } from '@baton/store';
import { batonActivityRegistry, type ActivityRegistry } from '@baton/worker';
import { exampleActivities, seedDemoOrders } from '../activities';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const source: unknown = JSON.parse(readFileSync(join(__dirname, '../password-reset/journey.json'), 'utf8'));

let store: Store;
let registry: ActivityRegistry;

beforeAll(async () => {
  store = await connectStore(requireServers().mongoUri, uniqueDbName('baton_test_examples'));
  registry = batonActivityRegistry({ store, definitions: exampleActivities, logger: silent });
});

afterAll(async () => {
  if (store) {
    await store.collection('orders').db.dropDatabase();
    await store.close();
  }
});

/** The activity context of one execution of a workflow's activity (retries share it, with a higher attempt). */
function environment(workflowId: string, activityId: string, attempt = 1): MockActivityEnvironment {
  const info: Partial<Info> = {
    activityId,
    attempt,
    activityType: 'accounts.sendResetLink',
    workflowExecution: { workflowId, runId: `${workflowId}-run-1` },
    workflowType: 'journeyWorkflow',
  };
  return new MockActivityEnvironment(info, { logger: { log() {}, trace() {}, ...silent } });
}

async function rejection(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApplicationFailure) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('accounts.sendResetLink', () => {
  const send = (input: unknown) => registry.activities['accounts.sendResetLink']!(input);

  it('sends one email per activity execution, however often Temporal retries it', async () => {
    const input = { email: 'ann@example.com', customerId: 'cus_1' };
    const first = await environment('conv-r1', '3').run(send, input);
    expect(first).toEqual({ sent: true, to: 'ann@example.com', resetId: expect.stringMatching(/^rst_[0-9a-f]{20}$/) });
    const retry = await environment('conv-r1', '3', 2).run(send, input);
    expect(retry).toEqual(first);
    let emails = await store.listOutbound({ to: 'ann@example.com' });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ channel: 'log', subject: 'Reset your password' });
    expect(emails[0]?.body).toContain((first as { resetId: string }).resetId);

    // Another execution (the journey sends a second link) is a second email.
    const second = await environment('conv-r1', '7').run(send, input);
    expect((second as { resetId: string }).resetId).not.toBe((first as { resetId: string }).resetId);
    emails = await store.listOutbound({ to: 'ann@example.com' });
    expect(emails).toHaveLength(2);
  });

  it('refuses a missing or invalid email without retrying, naming the field', async () => {
    const missing = await rejection(environment('conv-r2', '1').run(send, { email: null, customerId: 'cus_1' }));
    expect(missing.nonRetryable).toBe(true);
    expect(missing.message).toBe(
      'invalid input for accounts.sendResetLink: email: a valid email address is needed to send a reset link',
    );
    const invalid = await rejection(environment('conv-r2', '1').run(send, { email: 'ann-at-example', customerId: '' }));
    expect(invalid.message).toMatch(/email: a valid email address/);
    expect(invalid.message).toMatch(/customerId: the customer id is needed/);
    expect(await store.listOutbound({ to: 'ann-at-example' })).toHaveLength(0);
  });

  it('needs the activity context for its idempotency key', async () => {
    await expect(send({ email: 'bob@example.com', customerId: 'cus_2' })).rejects.toThrow(
      /needs a Temporal activity context/,
    );
  });
});

describe('orders.lookup', () => {
  const lookup = (input: unknown) => registry.activities['orders.lookup']!(input);

  beforeAll(async () => {
    const now = new Date(Date.UTC(2025, 5, 10));
    expect(await seedDemoOrders(store, now)).toEqual(['A1001', 'A1002', 'A1003', 'A1004']);
    // Seeding again leaves the same orders.
    await seedDemoOrders(store, now);
    expect(await store.collection('orders').countDocuments({})).toBe(4);
  });

  it('finds an order, whatever the customer typed around its id', async () => {
    const expected = {
      found: true,
      orderId: 'A1001',
      status: 'shipped',
      carrier: 'DHL',
      eta: '2025-06-12',
      items: [{ sku: 'KB-01', name: 'Mechanical keyboard', quantity: 1 }],
    };
    expect(await environment('conv-o1', '1').run(lookup, { orderId: 'A1001' })).toEqual(expected);
    expect(await lookup({ orderId: ' #a1001 ' })).toEqual(expected);
    expect(await lookup({ orderId: 'A1004' })).toMatchObject({
      found: true,
      status: 'cancelled',
      carrier: null,
      eta: null,
    });
  });

  it('answers found: false for an unknown order and refuses an empty id', async () => {
    expect(await lookup({ orderId: 'Z9999' })).toEqual({
      found: false,
      orderId: 'Z9999',
      status: null,
      carrier: null,
      eta: null,
      items: [],
    });
    const failure = await rejection(lookup({ orderId: '  ' }));
    expect(failure.message).toBe('invalid input for orders.lookup: orderId: an order id is needed');
  });
});

describe('the password-reset journey with the catalog', () => {
  const catalog = () => new Map(registry.catalog.map((manifest) => [manifest.name, manifest]));

  it('compiles against the catalog, which knows the required inputs', () => {
    expect(compileJourney(source, { activities: catalog() }).ok).toBe(true);
    const broken = JSON.parse(JSON.stringify(source)) as {
      nodes: { id: string; data: { input?: Record<string, unknown> } }[];
    };
    delete broken.nodes.find((node) => node.id === 'send_link')!.data.input!.customerId;
    const result = compileJourney(broken, { activities: catalog() });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        nodeId: 'send_link',
        code: 'missing_activity_input',
        message: 'activity "accounts.sendResetLink" needs input "customerId"',
      }),
    );
  });

  it('resolves a password reset end to end with the real activities', async () => {
    const compiled = compileJourney(source, { activities: catalog() });
    if (!compiled.ok) throw new Error('does not compile');
    const journey = compiled.journey;
    let at = Date.UTC(2025, 5, 10, 9);
    const tick = () => (at += 1000);
    let activityIds = 0;
    // Each activity call is one execution, as the workflow schedules it.
    const call = (activityCall: ActivityCall) =>
      environment('conv-e2e', String(++activityIds)).run(
        registry.activities[activityCall.activity]!,
        activityCall.input,
      );
    const drive = async (output: ReturnType<typeof step>) => {
      let current = output;
      for (;;) {
        const pending = current.effects.find((effect): effect is ActivityCall => effect.type === 'call_activity');
        if (!pending) return current;
        const result = (await call(pending)) as never;
        current = step(journey, current.state, {
          type: 'activity_result',
          at: tick(),
          callId: pending.callId,
          ok: true,
          output: result,
        });
      }
    };
    const customer = { id: 'cus_5', name: 'Eve', email: 'eve@example.com' };
    let output = await drive(
      startConversation(journey, { conversationId: 'conv-e2e', channel: 'web', customer, variables: {}, at: tick() }),
    );
    output = await drive(
      step(journey, output.state, {
        type: 'customer_message',
        at: tick(),
        text: 'Hi, I forgot my password',
        clientMessageId: 'm1',
      }),
    );
    expect(output.state.vars.reset).toMatchObject({ sent: true, to: 'eve@example.com' });
    expect(output.state.transcript.at(-1)?.text).toBe("I've sent a reset link to eve@example.com. Did it work?");
    expect(await store.listOutbound({ to: 'eve@example.com', channel: 'log' })).toHaveLength(1);

    output = await drive(
      step(journey, output.state, {
        type: 'customer_message',
        at: tick(),
        text: 'yes it worked, thanks!',
        clientMessageId: 'm2',
      }),
    );
    expect(output.state.waiting?.kind).toBe('survey');
    output = await drive(step(journey, output.state, { type: 'survey_answered', at: tick(), ces: 7 }));
    expect(output.state).toMatchObject({ status: 'ended', outcome: 'resolved_by_bot' });
    expect(output.state.path.map((p) => p.nodeId)).toEqual([
      'start',
      'greet',
      'ask_need',
      'triage',
      'mood',
      'retrying',
      'send_link',
      'ask_worked',
      'worked',
      'survey_bot',
      'done_bot',
    ]);
    // The transcript went out too (a second outbound message to Eve).
    expect((await store.listOutbound({ to: 'eve@example.com' })).map((m) => m.subject).sort()).toEqual([
      'Reset your password',
      'Your conversation transcript',
    ]);
    expect(await store.getSurvey('conv-e2e')).toMatchObject({ ces: 7, customerId: 'cus_5' });
  });
});
