/**
 * A customer's erasure on the real stack (Temporal dev server, Mongo-wire server, a real worker):
 * customer X has one ended conversation (handed off, corrected, resolved, surveyed) and one still
 * open; customer Y has one. The dry run lists X's records; DELETE /api/customers/X runs the erasure
 * workflow `erase:X`, which ends the open conversation, deletes X's read model, tickets, surveys,
 * feedback and corrections, and deletes X's executions from Temporal; Y keeps everything. A repeat is
 * idempotent; an unknown customer is a 404 naming it; the audit entry names the customer id only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { inboxCollections } from '@baton/store';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(180_000);

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const sam = { id: 'agent-sam', name: 'Sam' };
const x = { id: 'cust-erase-x', name: 'Xavier Secretname', email: 'x@example.com' };
const y = { id: 'cust-erase-y', name: 'Yolanda', email: 'y@example.com' };

let stack: TestStack;
const api = () => request(stack.app);

async function start(customer: { id: string; name: string; email: string }): Promise<string> {
  const started = await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', customer, channel: 'web' })
    .expect(201);
  return started.body.conversationId as string;
}

async function say(conversationId: string, clientMessageId: string, text: string) {
  const answer = await api()
    .post(`/api/conversations/${conversationId}/messages`)
    .send({ clientMessageId, text })
    .expect(201);
  return answer.body as { conversation: { waiting: { kind: string; ticketId?: string } | null } };
}

async function until<T>(what: string, read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const value = await read();
    if (holds(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`never: ${what}`);
}

async function described(workflowId: string): Promise<string> {
  try {
    return (await stack.client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'NOT_FOUND';
    throw error;
  }
}

let ended: string;
let open: string;
let other: string;
let ticketId: string;

beforeAll(async () => {
  stack = await startTestStack();
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'test' }).expect(201);

  // X's first conversation: handed off, corrected, resolved, surveyed, ended.
  ended = await start(x);
  await say(ended, 'm1', 'I cannot log in to my account');
  const angry = await say(ended, 'm2', "No it did not work. This is ridiculous, I've tried everything!");
  ticketId = angry.conversation.waiting!.ticketId!;
  await api().post(`/api/tickets/${ticketId}/claim`).send({ agent: sam }).expect(200);
  await api().post(`/api/tickets/${ticketId}/intent`).send({ agent: sam, intent: 'human' }).expect(201);
  await api().post(`/api/tickets/${ticketId}/resolve`).send({ agent: sam, resolution: 'unlocked' }).expect(200);
  await api().post(`/api/conversations/${ended}/survey`).send({ ces: 3, csat: 2 }).expect(200);
  await until(
    'the first conversation is ended',
    () => stack.store.getConversation(ended),
    (c) => c?.status === 'ended',
  );
  // X's second conversation: still talking to the bot.
  open = await start(x);
  await say(open, 'm1', 'I forgot my password');
  // Y's conversation.
  other = await start(y);
  await say(other, 'm1', 'I forgot my password');
});
afterAll(async () => {
  await stack?.stop();
});

it('lists what would go in a dry run, and changes nothing', async () => {
  const dry = await api().delete(`/api/customers/${x.id}?dryRun=true`).expect(200);
  expect(dry.body).toMatchObject({ customerId: x.id, dryRun: true, openConversations: [open] });
  expect(new Set(dry.body.ids.conversations)).toEqual(new Set([ended, open]));
  expect(dry.body.ids.tickets).toEqual([ticketId]);
  expect(dry.body.ids.surveys).toEqual([ended]);
  expect(dry.body.counts).toMatchObject({ conversations: 2, tickets: 1, surveys: 1, corrections: 1 });
  expect(await stack.store.getConversation(open)).not.toBeNull();
  expect(await described(`erase:${x.id}`)).toBe('NOT_FOUND');
});

it('says an unknown customer is unknown, and checks the query', async () => {
  const unknown = await api().delete('/api/customers/cust-nobody').expect(404);
  expect(unknown.body.detail).toBe('no data is stored about customer "cust-nobody"');
  await api().get('/api/customers/cust-nobody/erasure').expect(404);
  const bad = await api().delete(`/api/customers/${x.id}?dryRun=maybe`).expect(400);
  expect(bad.body.detail).toMatch(/dryRun/);
});

it("erases X's data and executions, ends the open conversation first, and leaves Y alone", async () => {
  const erase = await api().delete(`/api/customers/${x.id}`).expect(202);
  expect(erase.body).toEqual({ customerId: x.id, workflowId: `erase:${x.id}`, started: true });
  const result = await stack.client.workflow.getHandle(`erase:${x.id}`).result();
  expect(result).toMatchObject({ stage: 'done', openConversations: [open], ended: 1, executionsDeleted: 2 });
  expect(result.deleted).toMatchObject({ conversations: 2, tickets: 1, surveys: 1, corrections: 1 });

  const db = stack.store.collection('conversations').db;
  for (const name of [
    'conversations',
    'tickets',
    'surveys',
    inboxCollections.feedback,
    inboxCollections.intentCorrections,
  ])
    expect(
      await db.collection<{ _id: string }>(name).countDocuments({
        $or: [{ conversationId: { $in: [ended, open] } }, { _id: { $in: [ended, open, ticketId] } }],
      }),
    ).toBe(0);
  expect(await db.collection('tickets').countDocuments({ 'customer.id': x.id })).toBe(0);
  for (const id of [ended, open])
    await until(
      `${id} is deleted from Temporal`,
      () => described(id),
      (s) => s === 'NOT_FOUND',
    );

  // Y untouched.
  expect(await stack.store.getConversation(other)).toMatchObject({ customer: { id: y.id } });
  expect(await described(other)).toBe('RUNNING');

  const progress = await api().get(`/api/customers/${x.id}/erasure`).expect(200);
  expect(progress.body).toMatchObject({
    workflowId: `erase:${x.id}`,
    status: 'COMPLETED',
    progress: { stage: 'done' },
  });

  // The audit names the customer id, none of the erased data.
  const audit = await api().get('/api/audit').expect(200);
  const entries = (audit.body.entries ?? audit.body) as Record<string, unknown>[];
  const erased = entries.filter((entry) => entry.action === 'customer.erase');
  expect(erased).toEqual([expect.objectContaining({ subject: x.id })]);
  expect(JSON.stringify(erased)).not.toMatch(/Secretname|x@example\.com/);
});

it('is idempotent: a repeat joins the finished erasure', async () => {
  const again = await api().delete(`/api/customers/${x.id}`).expect(202);
  expect(again.body).toEqual({ customerId: x.id, workflowId: `erase:${x.id}`, started: false });
  const dry = await api().delete(`/api/customers/${x.id}?dryRun=true`).expect(200);
  expect(dry.body.counts).toMatchObject({ conversations: 0, tickets: 0, surveys: 0 });
});
