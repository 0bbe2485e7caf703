/**
 * Baton's Temporal search attributes on the test setup's real dev server (registered by
 * startTemporalDevServer): a started conversation is found by a visibility query on BatonJourneyId
 * (and version and customer), a handed-off one by its BatonTicketId and BatonStatus as the workflow
 * moves them, and a namespace that lacks them still starts conversations, without them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { compileJourney } from '@baton/core/compiler';
import type { CompiledJourney } from '@baton/schemas';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { requireServers } from '@baton/test-support/servers';
import { Conversations, missingSearchAttributes, refusesSearchAttributes } from '../src/client';
import { versionQuery } from '../src/api/routes/metrics';

jest.setTimeout(120_000);

type Long = NonNullable<
  NonNullable<
    Parameters<Connection['workflowService']['registerNamespace']>[0]['workflowExecutionRetentionPeriod']
  >['seconds']
>;

let stack: TestStack;
let journey: CompiledJourney;

beforeAll(async () => {
  stack = await startTestStack();
  const compiled = compileJourney(
    JSON.parse(readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8')),
  );
  if (!compiled.ok) throw new Error('password-reset does not compile');
  journey = { ...compiled.journey, id: `sa-${stack.db}`, version: 3 };
});

afterAll(async () => {
  await stack?.stop();
});

/** Visibility is eventually consistent: list until `expected` ids are there, for at most 30 s. */
async function listUntil(client: Client, query: string, expected: number): Promise<string[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
    if (ids.length >= expected || Date.now() > deadline) return ids.sort();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

it('the test dev server has all of them registered', async () => {
  expect(await missingSearchAttributes(stack.client.connection, stack.client.options.namespace)).toEqual([]);
});

it('a started conversation is found by BatonJourneyId, its version and its customer', async () => {
  const ids = [`${stack.db}-a`, `${stack.db}-b`];
  for (const [i, conversationId] of ids.entries()) {
    await stack.conversations.start({
      conversationId,
      journey,
      customer: { id: `cus-${stack.db}-${i}` },
      variables: {},
      channel: 'test',
    });
  }
  expect(await listUntil(stack.client, `BatonJourneyId = "${journey.id}"`, 2)).toEqual(ids);
  expect(await listUntil(stack.client, `BatonJourneyId = "${journey.id}" AND BatonJourneyVersion = 3`, 2)).toEqual(ids);
  expect(await listUntil(stack.client, `BatonCustomerId = "cus-${stack.db}-1"`, 1)).toEqual([ids[1]]);
  // The dashboard's "Conversations in Temporal" link carries this query.
  expect(await listUntil(stack.client, versionQuery(journey.id, 3), 2)).toEqual(ids);
  expect(await listUntil(stack.client, versionQuery(journey.id, 2), 0)).toEqual([]);

  const description = await stack.client.workflow.getHandle(ids[0]!).describe();
  expect(description.searchAttributes).toMatchObject({
    BatonJourneyId: [journey.id],
    BatonJourneyVersion: [3],
    BatonCustomerId: [`cus-${stack.db}-0`],
  });
});

it('a handed-off conversation is found by BatonTicketId, and BatonStatus follows its ticket', async () => {
  const conversationId = `${stack.db}-ticket`;
  await stack.conversations.start({
    conversationId,
    journey,
    customer: { id: `cus-${stack.db}-t`, name: 'Tess' },
    variables: {},
    channel: 'test',
  });
  expect(await listUntil(stack.client, `BatonStatus = "bot" AND BatonJourneyId = "${journey.id}"`, 1)).toContain(
    conversationId,
  );
  await stack.conversations.sendMessage(conversationId, { clientMessageId: 'm1', text: 'I forgot my password' });
  const angry = await stack.conversations.sendMessage(conversationId, {
    clientMessageId: 'm2',
    text: "No, it didn't work. This is ridiculous, I've tried everything",
  });
  const waiting = angry.conversation.waiting;
  const ticketId = waiting?.kind === 'agent' ? waiting.ticketId : undefined;
  expect(ticketId).toEqual(expect.any(String));
  expect(await listUntil(stack.client, `BatonTicketId = "${ticketId}"`, 1)).toEqual([conversationId]);
  expect(await listUntil(stack.client, `BatonTicketId = "${ticketId}" AND BatonStatus = "pending"`, 1)).toEqual([
    conversationId,
  ]);

  await stack.conversations.claim(conversationId, { id: 'agent-sa', name: 'Sam' });
  expect(await listUntil(stack.client, `BatonTicketId = "${ticketId}" AND BatonStatus = "open"`, 1)).toEqual([
    conversationId,
  ]);
  const history = await stack.client.workflow.getHandle(conversationId).fetchHistory();
  const upserted = (history.events ?? [])
    .map((event) => event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {})
    .map((fields) => Object.keys(fields).sort());
  // One upsert for the new ticket and one for the claim, after the patched() marker's own (TemporalChangeVersion).
  expect(upserted.filter((names) => names.includes('BatonStatus'))).toEqual([
    ['BatonStatus', 'BatonTicketId'],
    ['BatonStatus', 'BatonTicketId'],
  ]);
  expect(upserted.filter((names) => names.includes('TemporalChangeVersion')).length).toBeGreaterThan(0);
  const described = await stack.client.workflow.getHandle(conversationId).describe();
  expect(described.searchAttributes).toMatchObject({ BatonTicketId: [ticketId], BatonStatus: ['open'] });
});

it('a namespace that lacks them starts conversations without them, and says so once', async () => {
  // A namespace of its own, created without Baton's attributes; no worker needed to see the start land.
  const { temporalAddress } = requireServers();
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const namespace = `bare-${stack.db}`.slice(0, 60);
    await connection.workflowService.registerNamespace({
      namespace,
      // protobufjs takes a number where its types say Long.
      workflowExecutionRetentionPeriod: { seconds: 86_400 as unknown as Long },
    });
    const client = new Client({ connection, namespace });
    const deadline = Date.now() + 30_000;
    let missing: string[] | undefined;
    while (missing === undefined) {
      missing = await missingSearchAttributes(connection, namespace).catch((error: unknown) => {
        if (Date.now() > deadline) throw error;
        return undefined;
      });
      if (missing === undefined) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(missing).toEqual([
      'BatonJourneyId',
      'BatonJourneyVersion',
      'BatonCustomerId',
      'BatonTicketId',
      'BatonStatus',
    ]);

    const warnings: string[] = [];
    const conversations = new Conversations(client, stack.taskQueue, (message) => warnings.push(message));
    const conversationId = `${stack.db}-bare`;
    // Nothing polls this namespace's task queue: the start lands, its Update waits; give up on the answer.
    const started = conversations.start({
      conversationId,
      journey,
      customer: { id: 'c' },
      variables: {},
      channel: 'test',
    });
    started.catch(() => undefined);
    const handle = client.workflow.getHandle(conversationId);
    let described: Awaited<ReturnType<typeof handle.describe>> | undefined;
    while (described === undefined) {
      described = await handle.describe().catch((error: unknown) => {
        if (Date.now() > deadline) throw error;
        return undefined;
      });
      if (described === undefined) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(described.status.name).toBe('RUNNING');
    expect(described.searchAttributes).not.toHaveProperty('BatonJourneyId');
    expect(warnings).toEqual([expect.stringContaining('lacks the search attributes BatonJourneyId')]);
    await handle.terminate('test over');

    // What the server says when a start carries an attribute the namespace lacks: the client's cue to start without.
    const refusal = await client.workflow
      .start('journeyWorkflow', {
        workflowId: `${stack.db}-refused`,
        taskQueue: stack.taskQueue,
        typedSearchAttributes: [{ key: { name: 'BatonJourneyId', type: 'KEYWORD' }, value: journey.id }],
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refusal).toBeInstanceOf(Error);
    expect(refusesSearchAttributes(refusal)).toBe(true);
  } finally {
    await connection.close();
  }
});
