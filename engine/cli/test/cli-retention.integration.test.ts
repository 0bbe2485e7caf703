/**
 * `baton retention run` against the real API: --dry-run lists the old ended conversation (not the
 * open one), changing nothing; without it, the schedule baton-retention is triggered and its run
 * redacts that conversation; with no schedule the command says so and exits 1; a bad --limit exits 2.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { ConversationSnapshot } from '@baton/store';
import { ensureRetentionSchedule } from '@baton/server/api';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import type { Io } from '../src/io';
import { main } from '../src/main';

jest.setTimeout(120_000);

const dayMs = 86_400_000;
let stack: TestStack;
let server: Server;
let api: string;

function conversation(conversationId: string, status: 'ended' | 'active', endedAt: number | null) {
  const at = Date.now() - 500 * dayMs;
  return {
    conversationId,
    channel: 'web',
    journey: { id: 'refunds', version: 1, hash: 'h' },
    status,
    nodeId: status === 'ended' ? null : 'ask',
    waiting: null,
    vars: {},
    customer: { id: `c-${conversationId}`, name: 'Someone' },
    intent: null,
    sentiment: { score: 0, label: 'neutral', history: [0] },
    counters: { turns: 1, failures: 0, lowConfidence: 0, visits: {} },
    lastMessage: 'where is my refund',
    transcript: [{ seq: 1, from: 'customer', text: 'where is my refund', at: at + 1000 }],
    path: [{ nodeId: 'start', type: 'start', at, handle: 'next' }],
    handoffs: [],
    survey: null,
    outcome: status === 'ended' ? 'resolved_by_bot' : null,
    startedAt: at,
    endedAt,
  } as unknown as ConversationSnapshot;
}

async function baton(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: process.cwd(), env: {}, color: false };
  const code = await main(['node', 'baton', ...args, '--api', api], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  stack = await startTestStack();
  await stack.store.saveConversation(conversation('old-ended', 'ended', Date.now() - 400 * dayMs));
  await stack.store.saveConversation(conversation('old-open', 'active', null));
  await request(stack.app).put('/api/settings/retention').send({ defaultDays: 365, journeys: {} }).expect(200);
  server = stack.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.client.schedule
    .getHandle('baton-retention')
    .delete()
    .catch(() => undefined);
  await stack?.stop();
});

it('lists what a run would redact in a dry run, and checks --limit', async () => {
  const dry = await baton('retention', 'run', '--dry-run');
  expect(dry.code).toBe(0);
  expect(dry.out).toContain('every other journey: 365 days');
  expect(dry.out).toContain('  old-ended');
  expect(dry.out).not.toContain('old-open');
  expect(dry.out).toContain('a run now would redact 1 ended conversation(s); nothing was changed');
  expect((await stack.store.getConversation('old-ended'))?.transcript).toHaveLength(1);
  expect((await baton('retention', 'run', '--dry-run', '--limit', '0')).code).toBe(2);
});

it('says when the schedule is missing, and triggers it when there', async () => {
  await stack.client.schedule
    .getHandle('baton-retention')
    .delete()
    .catch(() => undefined);
  const missing = await baton('retention', 'run');
  expect(missing.code).toBe(1);
  expect(missing.err).toContain('the schedule "baton-retention" does not exist');

  await ensureRetentionSchedule(stack.client, { taskQueue: stack.taskQueue });
  const triggered = await baton('retention', 'run');
  expect(triggered.code).toBe(0);
  for (let i = 0; i < 300; i += 1) {
    const doc = await stack.store
      .collection('conversations')
      .db.collection<{ _id: string; retainedAt?: number }>('conversations')
      .findOne({ _id: 'old-ended' });
    if (doc?.retainedAt) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect((await stack.store.getConversation('old-ended'))?.transcript).toEqual([]);
  expect((await stack.store.getConversation('old-open'))?.transcript).toHaveLength(1);
});
