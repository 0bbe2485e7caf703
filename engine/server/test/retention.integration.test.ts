/**
 * Retention on the real stack (Temporal dev server, Mongo-wire server, a real worker): an old ended
 * conversation (handed off, corrected, resolved, surveyed; its `endedAt` set 400 days back in the
 * read model) is redacted by the retention workflow with its ticket, survey, verdict and correction;
 * a recent ended one and an open one (even with an old `endedAt` written on it) are kept; the
 * dashboard's figures for the whole period are the same before and after. The setting is admin-set,
 * zod-checked and audited; the dry run lists what would go; the schedule is created once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { closeUpdate } from '@baton/workflow/definitions';
import { retentionWorkflowType, type RetentionRunResult } from '@baton/workflow/retention';
import { ensureRetentionSchedule } from '../src/api/retention-schedule';
import { startApi } from '../src/api/runtime';
import { requireServers } from '@baton/test-support/servers';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(180_000);

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const sam = { id: 'agent-sam', name: 'Sam' };
const dayMs = 86_400_000;

let stack: TestStack;
const api = () => request(stack.app);

async function start(customerId: string): Promise<string> {
  const started = await api()
    .post('/api/conversations')
    .send({
      journeyId: 'password-reset',
      customer: { id: customerId, name: 'Old Name', email: `${customerId}@example.com` },
      channel: 'web',
    })
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

let old: string;
let recent: string;
let open: string;
let ticketId: string;
const db = () => stack.store.collection('conversations').db;
const metricsUrl = `/api/metrics?from=${new Date(Date.now() - 3 * dayMs).toISOString()}&to=${new Date(Date.now() + 3 * dayMs).toISOString()}`;

beforeAll(async () => {
  stack = await startTestStack();
  await api().post('/api/journeys').send(journey).expect(201);
  await api().post('/api/journeys/password-reset/publish').send({ author: 'test' }).expect(201);

  old = await start('cust-old');
  await say(old, 'm1', 'I cannot log in to my account');
  const angry = await say(old, 'm2', "No it did not work. This is ridiculous, I've tried everything!");
  ticketId = angry.conversation.waiting!.ticketId!;
  await api().post(`/api/tickets/${ticketId}/claim`).send({ agent: sam }).expect(200);
  await api().post(`/api/tickets/${ticketId}/intent`).send({ agent: sam, intent: 'human' }).expect(201);
  await api().post(`/api/tickets/${ticketId}/resolve`).send({ agent: sam, resolution: 'unlocked' }).expect(200);
  await api()
    .post(`/api/conversations/${old}/survey`)
    .send({ ces: 3, csat: 2, comment: 'my secret words' })
    .expect(200);
  await until(
    'the old conversation is ended',
    () => stack.store.getConversation(old),
    (c) => c?.status === 'ended',
  );

  recent = await start('cust-recent');
  await say(recent, 'm1', 'I forgot my password');
  await stack.client.workflow.getHandle(recent).executeUpdate(closeUpdate, { args: [{ message: 'Closed, bye.' }] });
  open = await start('cust-open');
  await say(open, 'm1', 'I forgot my password');
  await stack.background.settled(10_000);

  // 400 days back: the old one as if it had ended then; the open one carries a stale endedAt it must not be judged by.
  const longAgo = Date.now() - 400 * dayMs;
  await db()
    .collection<{ _id: string }>('conversations')
    .updateOne({ _id: old }, { $set: { endedAt: longAgo } });
  await db()
    .collection<{ _id: string }>('conversations')
    .updateOne({ _id: open }, { $set: { endedAt: longAgo } });
});
afterAll(async () => {
  await stack?.stop();
});

it('ends a conversation with the close Update: the message is its last entry', async () => {
  const view = await until(
    'the closed conversation is projected',
    () => stack.store.getConversation(recent),
    (c) => c?.status === 'ended',
  );
  expect(view!.transcript.at(-1)).toMatchObject({ from: 'bot', text: 'Closed, bye.' });
  expect(view!.outcome).toBe('abandoned');
});

it('keeps the setting admin-set, checked and audited; the dry run lists only the old ended conversation', async () => {
  expect((await api().get('/api/settings/retention').expect(200)).body).toMatchObject({
    defaultDays: null,
    journeys: {},
  });
  const bad = await api().put('/api/settings/retention').send({ defaultDays: 0, journeys: {} }).expect(400);
  expect(bad.body.detail).toMatch(/defaultDays/);
  const badJourney = await api()
    .put('/api/settings/retention')
    .send({ defaultDays: 30, journeys: { 'x y': 3 } });
  expect(badJourney.status).toBe(400);
  await api()
    .put('/api/settings/retention')
    .send({ defaultDays: 365, journeys: { 'other-journey': null } })
    .expect(200);
  const audit = await db().collection('audit').find({ action: 'retention.update' }).toArray();
  expect(audit).toHaveLength(1);
  expect(audit[0]).toMatchObject({ subject: 'retention', details: { defaultDaysBefore: null, defaultDays: 365 } });

  const preview = await api().get('/api/settings/retention/preview').expect(200);
  expect(preview.body.total).toBe(1);
  expect(preview.body.rules).toEqual([
    expect.objectContaining({ journeyId: null, days: 365, count: 1, conversations: [old] }),
  ]);
});

it('redacts the old ended conversation and its records, keeps the others, and leaves the dashboard as it was', async () => {
  const before = (await api().get(metricsUrl).expect(200)).body as Record<string, unknown>;
  expect(before.overall).toMatchObject({ conversations: { total: 3, ended: 2 } });

  const result: RetentionRunResult = await stack.client.workflow.execute(retentionWorkflowType, {
    workflowId: `retention-${stack.db}`,
    taskQueue: stack.taskQueue,
    args: [{ batchSize: 1 }],
  });
  expect(result.redacted).toMatchObject({ conversations: 1, tickets: 1, surveys: 1, corrections: 1 });

  const redacted = await db().collection<{ _id: string }>('conversations').findOne({ _id: old });
  expect(redacted).toMatchObject({ status: 'ended', transcript: [], customer: { id: 'retained' }, vars: {} });
  expect(JSON.stringify(redacted)).not.toMatch(/Old Name|ridiculous|my secret words|cust-old/);
  const ticket = await db().collection<{ _id: string }>('tickets').findOne({ _id: ticketId });
  expect(ticket).toMatchObject({ transcript: [], summary: '', customer: { id: 'retained' } });
  expect(JSON.stringify(ticket)).not.toMatch(/Old Name|ridiculous|cust-old/);
  const survey = await db().collection<{ _id: string }>('surveys').findOne({ conversationId: old });
  expect(survey).toMatchObject({ ces: 3, csat: 2 });
  expect(survey).not.toHaveProperty('comment');
  expect(await db().collection('intent_corrections').findOne({ ticketId })).toMatchObject({ text: '' });

  for (const kept of [recent, open]) {
    const view = await stack.store.getConversation(kept);
    expect(view!.transcript.length).toBeGreaterThan(0);
    expect(view!.customer.id).not.toBe('retained');
  }
  const after = (await api().get(metricsUrl).expect(200)).body as Record<string, unknown>;
  expect(after).toEqual(before);

  // A second run finds nothing more.
  const again: RetentionRunResult = await stack.client.workflow.execute(retentionWorkflowType, {
    workflowId: `retention-again-${stack.db}`,
    taskQueue: stack.taskQueue,
    args: [{}],
  });
  expect(again.redacted).toMatchObject({ conversations: 0 });
  expect((await api().get('/api/settings/retention/preview').expect(200)).body.total).toBe(0);
});

it('creates the daily schedule once (overlap SKIP, the retention workflow on the task queue)', async () => {
  const scheduleId = `baton-retention-${stack.db}`;
  try {
    expect(await ensureRetentionSchedule(stack.client, { taskQueue: stack.taskQueue, scheduleId })).toBe(true);
    expect(await ensureRetentionSchedule(stack.client, { taskQueue: stack.taskQueue, scheduleId })).toBe(false);
    const described = await stack.client.schedule.getHandle(scheduleId).describe();
    expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: retentionWorkflowType,
      taskQueue: stack.taskQueue,
    });
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }] });
  } finally {
    await stack.client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch(() => undefined);
  }
});

it('an API process creates baton-retention at start (as baton dev, stack:prod and deployments start it)', async () => {
  const { temporalAddress, temporalNamespace, mongoUri } = requireServers();
  const handle = stack.client.schedule.getHandle('baton-retention');
  await handle.delete().catch(() => undefined);
  const running = await startApi(
    {
      temporalAddress,
      namespace: temporalNamespace,
      mongoUri,
      db: `${stack.db}_api`,
      taskQueue: stack.taskQueue,
      host: '127.0.0.1',
      port: 0,
      auth: { tokenSecret: 'retention-test-secret-0123456789abcdefghijklmnop' },
      identity: false,
      tracing: false,
    },
    () => undefined,
  );
  try {
    const described = await handle.describe();
    expect(described.action).toMatchObject({ workflowType: retentionWorkflowType, taskQueue: stack.taskQueue });
    expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
  } finally {
    await running.close();
    await handle.delete().catch(() => undefined);
  }
});
