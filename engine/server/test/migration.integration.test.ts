/**
 * Migration of waiting conversations on the real stack (Temporal dev server, Mongo-wire server, a
 * worker, the API): three conversations on password-reset v1 (waiting for the first reply, waiting
 * for an agent, ended); v2 changes a text and renames the handoff node; the dry run says who can
 * move; applying moves only the movable one, inside its workflow; it goes on with v2's texts while
 * the other stays on v1; a second apply changes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { migrationRoutes } from '../src/api/routes/migrations';
import { ConversationRejectedError } from '../src/client';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

type JourneyFile = {
  id: string;
  nodes: { id: string; type: string; data: Record<string, unknown> }[];
  edges: { id: string; source: string; target: string; sourceHandle: string }[];
} & Record<string, unknown>;
const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as JourneyFile;
const customer = { id: 'cust-mig', name: 'Ana', email: 'ana@example.com' };
const sam = { id: 'agent-sam', name: 'Sam' };
const v2Prompt = 'Version two: a fresh reset link is on its way to ana@example.com. Did it work?';

/** v2: another text at `ask_worked`, and the handoff node `escalate` renamed `escalate_v2`. */
function version2(): JourneyFile {
  const copy = structuredClone(journey);
  const askWorked = copy.nodes.find((node) => node.id === 'ask_worked');
  if (!askWorked) throw new Error('fixture changed: no ask_worked');
  askWorked.data.prompt = 'Version two: a fresh reset link is on its way to {{customer.email}}. Did it work?';
  const rename = (id: string) => (id === 'escalate' ? 'escalate_v2' : id);
  for (const node of copy.nodes) node.id = rename(node.id);
  for (const edge of copy.edges) {
    edge.source = rename(edge.source);
    edge.target = rename(edge.target);
  }
  return copy;
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const api = () => request(stack.app);
const texts = (entries: { text: string }[]) => entries.map((entry) => entry.text);

async function start(conversationId: string): Promise<void> {
  const res = await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', conversationId, customer, channel: 'web' })
    .expect(201);
  expect(res.body.version).toBe(1);
}

async function say(conversationId: string, clientMessageId: string, text: string) {
  const res = await api()
    .post(`/api/conversations/${conversationId}/messages`)
    .send({ clientMessageId, text })
    .expect(201);
  return res.body as {
    replies: { text: string }[];
    conversation: { nodeId: string; waiting: { kind: string } | null; journey: { version: number } };
  };
}

async function live(conversationId: string) {
  const res = await api().get(`/api/conversations/${conversationId}`).expect(200);
  return res.body.conversation as {
    journey: { version: number; hash: string };
    nodeId: string | null;
    status: string;
    waiting: { kind: string; until?: number } | null;
    transcript: { text: string }[];
    path: { nodeId: string; note?: string }[];
  };
}

type Candidate = { conversationId: string; nodeId: string | null; movable: boolean; reason?: string };
type DryRun = {
  examined: number;
  truncated: boolean;
  movable: number;
  unmovable: number;
  nodes: { nodeId: string; type: string; inTarget: boolean; conversations: Candidate[] }[];
  elsewhere: Candidate[];
};
type Applied = {
  migrationId: string;
  counts: Record<'moved' | 'already' | 'refused' | 'failed', number>;
  results: { conversationId: string; outcome: string; reason?: string; version: number }[];
};

describe('migrating waiting conversations', () => {
  // Unique per run: a server kept between runs still holds the conversations of the last one.
  const run = Date.now().toString(36);
  const atAsk = `mig-at-ask-${run}`;
  const atAgent = `mig-at-agent-${run}`;
  const ended = `mig-ended-${run}`;

  it('moves the movable ones after a dry run, leaves the others on their version, and is idempotent', async () => {
    await api().post('/api/journeys').send(journey).expect(201);
    expect(
      (await api().post('/api/journeys/password-reset/publish').send({ author: 'ops' }).expect(201)).body.version,
    ).toBe(1);

    // Three conversations on v1: waiting for the first reply; waiting for an agent; ended.
    await start(atAsk);
    await start(atAgent);
    const handed = await say(atAgent, 'm1', 'let me talk to a person');
    expect(handed.conversation.waiting).toMatchObject({ kind: 'agent', nodeId: 'escalate' });
    await start(ended);
    await say(ended, 'm1', 'let me talk to a person');
    await api().post(`/api/tickets/${ended}-1/claim`).send({ agent: sam }).expect(200);
    await api().post(`/api/tickets/${ended}-1/resolve`).send({ agent: sam }).expect(200);
    const surveyed = await api().post(`/api/conversations/${ended}/survey`).send({ ces: 6, csat: 5 }).expect(200);
    expect(surveyed.body.conversation.status).toBe('ended');
    const askDeadline = (await live(atAsk)).waiting?.until;
    expect(askDeadline).toEqual(expect.any(Number));

    await api().put('/api/journeys/password-reset').send(version2()).expect(200);
    expect(
      (await api().post('/api/journeys/password-reset/publish').send({ author: 'ops' }).expect(201)).body.version,
    ).toBe(2);

    // Dry run (the default): who waits where, and whether they can move.
    const dry = await api().post('/api/journeys/password-reset/migrations').send({ from: 1, to: 2 }).expect(200);
    const plan = dry.body as DryRun;
    expect(plan).toMatchObject({ dryRun: true, truncated: false, examined: 2, movable: 1, unmovable: 1 });
    expect(plan.nodes.map((node) => node.nodeId)).toEqual(['ask_need', 'escalate']);
    expect(plan.nodes[0]).toMatchObject({
      nodeId: 'ask_need',
      type: 'ask',
      inTarget: true,
      conversations: [expect.objectContaining({ conversationId: atAsk, movable: true })],
    });
    const stuck = plan.nodes[1];
    expect(stuck).toMatchObject({ nodeId: 'escalate', type: 'handoff', inTarget: false });
    expect(stuck?.conversations).toEqual([
      expect.objectContaining({
        conversationId: atAgent,
        movable: false,
        reason: expect.stringMatching(/node "escalate".*version 2/),
      }),
    ]);
    expect(JSON.stringify(plan)).not.toContain(ended);
    // A dry run changes nothing.
    expect((await live(atAsk)).journey.version).toBe(1);

    // Apply: only the movable one moves.
    const applied = (
      await api()
        .post('/api/journeys/password-reset/migrations')
        .send({ from: 1, to: 2, dryRun: false, author: 'ops' })
        .expect(200)
    ).body as Applied;
    expect(applied.counts).toEqual({ moved: 1, already: 0, refused: 1, failed: 0 });
    expect(applied.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ conversationId: atAsk, outcome: 'moved', version: 2 }),
        expect.objectContaining({
          conversationId: atAgent,
          outcome: 'refused',
          version: 1,
          reason: expect.stringContaining('escalate'),
        }),
      ]),
    );

    // The moved one keeps its wait (same deadline) and goes on with v2.
    const moved = await live(atAsk);
    expect(moved).toMatchObject({ status: 'active', nodeId: 'ask_need', journey: { version: 2 } });
    expect(moved.waiting).toMatchObject({ kind: 'reply', until: askDeadline });
    expect(moved.path.at(-1)).toMatchObject({ nodeId: 'ask_need', note: 'migrated from v1 to v2' });
    // The memo the Temporal UI shows names the version it runs now.
    expect((await stack.client.workflow.getHandle(atAsk).describe()).memo).toMatchObject({
      journeyId: 'password-reset',
      journeyVersion: 2,
    });
    const next = await say(atAsk, 'm1', 'I cannot log in to my account');
    expect(texts(next.replies)).toEqual([v2Prompt]);
    expect(next.conversation.journey.version).toBe(2);
    expect((await stack.store.getConversation(atAsk))?.version).toBe(2);

    // The workflow's validator refuses directly too, naming the reason.
    const v2 = (await stack.store.getVersion('password-reset', 2))?.compiled;
    if (!v2) throw new Error('v2 missing');
    await expect(stack.conversations.migrate(atAgent, v2)).rejects.toThrow(ConversationRejectedError);
    await expect(stack.conversations.migrate(atAgent, v2)).rejects.toThrow(/escalate/);
    // And migrating to the version it already runs is a no-op.
    expect((await stack.conversations.migrate(atAsk, v2)).journey.version).toBe(2);

    // A second apply: the moved one is reported as already there; nothing else changes.
    const again = (
      await api().post('/api/journeys/password-reset/migrations').send({ from: 1, to: 2, dryRun: false }).expect(200)
    ).body as Applied;
    expect(again.counts).toEqual({ moved: 0, already: 1, refused: 1, failed: 0 });
    expect(again.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          conversationId: atAsk,
          outcome: 'already',
          version: 2,
          reason: 'already on version 2',
        }),
        expect.objectContaining({ conversationId: atAgent, outcome: 'refused' }),
      ]),
    );
    const after = await live(atAsk);
    expect(after.journey.version).toBe(2);
    expect(after.path.filter((step) => step.note?.includes('migrated'))).toHaveLength(1);

    // The other one was never touched: still on v1, and it goes on with v1's nodes.
    const untouched = await live(atAgent);
    expect(untouched).toMatchObject({ journey: { version: 1 }, nodeId: 'escalate', waiting: { kind: 'agent' } });
    expect(untouched.path.some((step) => step.note?.includes('migrated'))).toBe(false);
    await api().post(`/api/tickets/${atAgent}-1/claim`).send({ agent: sam }).expect(200);
    const resolved = await api().post(`/api/tickets/${atAgent}-1/resolve`).send({ agent: sam }).expect(200);
    expect(resolved.body.conversation).toMatchObject({
      journey: { version: 1 },
      nodeId: 'survey_agent',
      waiting: { kind: 'survey' },
    });
    expect(texts(resolved.body.conversation.transcript)).toContain("You're now speaking with Sam, a human agent.");

    // The audit trail, newest first.
    const trail = await api().get('/api/journeys/password-reset/migrations').expect(200);
    expect(trail.body.migrations).toHaveLength(2);
    expect(trail.body.migrations[0]).toMatchObject({
      migrationId: again.migrationId,
      from: 1,
      to: 2,
      moved: [],
      already: [atAsk],
    });
    expect(trail.body.migrations[1]).toMatchObject({
      migrationId: applied.migrationId,
      by: 'ops',
      moved: [atAsk],
      refused: [expect.objectContaining({ conversationId: atAgent })],
    });
  });

  it('refuses the same version, unpublished versions and bad bodies, naming the field', async () => {
    const same = await api().post('/api/journeys/password-reset/migrations').send({ from: 2, to: 2 }).expect(400);
    expect(same.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(same.body.errors).toEqual([expect.objectContaining({ path: '/to' })]);

    const missingTo = await api().post('/api/journeys/password-reset/migrations').send({ from: 1, to: 9 }).expect(404);
    expect(missingTo.body.errors).toEqual([{ path: '/to', message: 'version 9 is not published' }]);
    const missingFrom = await api()
      .post('/api/journeys/password-reset/migrations')
      .send({ from: 7, to: 1 })
      .expect(404);
    expect(missingFrom.body.errors).toEqual([{ path: '/from', message: 'version 7 is not published' }]);
    await api().post('/api/journeys/nope/migrations').send({ from: 1, to: 2 }).expect(404);

    const bad = await api()
      .post('/api/journeys/password-reset/migrations')
      .send({ from: 'one', to: 2, dryRun: 'yes', extra: 1 })
      .expect(400);
    const paths = bad.body.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['/from', '/dryRun']));
  });

  it('says when it examined fewer conversations than there are', async () => {
    // One active conversation on v1 (at the survey) and one moved earlier: two candidates, a limit of one.
    // The router alone, without createApp's identity middleware: the caller is marked open (access control is covered by access.integration.test.ts).
    const app = express()
      .use(express.json())
      .use((_req, res, next) => {
        res.locals.identity = { kind: 'open' };
        next();
      })
      .use(
        '/api',
        migrationRoutes({ store: stack.store, conversations: stack.conversations, limit: 1, log: () => undefined }),
      );
    const res = await request(app).post('/api/journeys/password-reset/migrations').send({ from: 1, to: 2 }).expect(200);
    expect(res.body).toMatchObject({
      examined: 1,
      truncated: true,
      note: expect.stringContaining('only the 1 most recently active'),
    });
  });
});
