/**
 * GET /api/conversations/export on the real stack (Temporal, Mongo-wire, a real worker, access
 * control on): password-reset conversations started, one of them ended with a survey; the export of
 * a range answers JSON lines holding their transcripts, paths and measures, the reset link's token
 * only as "[secret]", nothing started outside the range, and only the asked journey; an agent gets
 * 403, a bad query 400 naming the field; the audit log says who exported which range, not the data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { exportConversations } from '@baton/store';
import { authStoreOf, createUserWithPassword, type AuthOptions } from '../src/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(180_000);

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const authOptions: AuthOptions = {
  tokenSecret: 'export-test-secret-0123456789abcdefghijklmnop',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const password = 'correct horse battery staple';
type Session = { cookie: string; csrfToken: string };

let stack: TestStack;
let admin: Session;
let agent: Session;
const as = (who: Session, test: request.Test) => test.set('cookie', who.cookie).set('x-csrf-token', who.csrfToken);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  await createUserWithPassword(users, { email: 'agent@example.com', name: 'Agent', password, roles: ['agent'] });
  await createUserWithPassword(users, { email: 'boss@example.com', name: 'Boss', password, roles: ['admin'] });
  const login = async (email: string): Promise<Session> => {
    const res = await request(stack.app).post('/api/auth/login').send({ email, password }).expect(200);
    return {
      cookie: String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] as string,
      csrfToken: res.body.csrfToken as string,
    };
  };
  admin = await login('boss@example.com');
  agent = await login('agent@example.com');
  await as(admin, request(stack.app).post('/api/journeys')).send(journey).expect(201);
  await as(admin, request(stack.app).post('/api/journeys/password-reset/publish')).send({ author: 'test' }).expect(201);
});
afterAll(async () => {
  await stack?.stop();
});

async function until<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let tries = 0; tries < 150; tries++) {
    const value = await read();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A customer asks for a reset link; answers the link's secret token once the read model holds it. */
async function resetRequested(conversationId: string) {
  const started = await request(stack.app)
    .post('/api/conversations')
    .send({
      journeyId: 'password-reset',
      conversationId,
      customer: { id: `c-${conversationId}`, email: 'c@example.com' },
    })
    .expect(201);
  const token = started.body.token as string;
  const say = (clientMessageId: string, text: string) =>
    request(stack.app)
      .post(`/api/conversations/${conversationId}/messages`)
      .set('authorization', `Bearer ${token}`)
      .send({ clientMessageId, text })
      .expect(201);
  await say('m1', 'I forgot my password');
  const resetId = await until(async () => {
    const stored = await stack.store.getConversation(conversationId);
    const reset = stored?.vars.reset as { resetId?: string } | undefined;
    return reset?.resetId;
  }, `the reset link of ${conversationId}`);
  return { token, resetId, say };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a line is free JSON, read field by field
type Line = Record<string, any>;
const parseLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Line);

test('an admin exports a range as JSON lines: transcripts, paths, measures, no secret, nothing out of range', async () => {
  const since = new Date(Date.now() - 60_000).toISOString();
  const first = await resetRequested('exp-ended');
  await first.say('m2', 'yes it worked, thanks');
  await until(async () => {
    const view = await stack.conversations.get('exp-ended');
    return view.waiting?.kind === 'survey' || view.status === 'ended' ? true : undefined;
  }, 'the survey of exp-ended');
  await request(stack.app)
    .post('/api/conversations/exp-ended/survey')
    .set('authorization', `Bearer ${first.token}`)
    .send({ csat: 5, ces: 6 })
    .expect(200);
  await until(
    async () => ((await stack.store.getConversation('exp-ended'))?.status === 'ended' ? true : undefined),
    'exp-ended stored ended',
  );
  const second = await resetRequested('exp-open');
  const secrets = [first.resetId, second.resetId];

  // Stored long ago, and on another journey: out of the range, and out of the journey filter.
  const template = (await stack.store.getConversation('exp-open'))!;
  const old = Date.parse('2020-03-01T10:00:00Z');
  await stack.store.saveConversation({
    ...template,
    conversationId: 'exp-old',
    startedAt: old,
    endedAt: null,
    updatedAt: old,
  });
  await stack.store.saveConversation({
    ...template,
    conversationId: 'exp-other',
    journey: { ...template.journey, id: 'other-journey' },
    // A journey never published here has no catalog of secrets: this one is stored without any.
    vars: {},
    path: [],
  });

  const to = new Date(Date.now() + 60_000).toISOString();
  const res = await as(admin, request(stack.app).get('/api/conversations/export').query({ from: since, to })).expect(
    200,
  );
  expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
  expect(res.headers['cache-control']).toBe('no-store');
  for (const secret of secrets) expect(res.text).not.toContain(secret);
  const lines = parseLines(res.text);
  const ids = lines.map((line) => line.conversationId).sort();
  expect(ids).toEqual(['exp-ended', 'exp-open', 'exp-other']);
  const ended = lines.find((line) => line.conversationId === 'exp-ended')!;
  expect(ended).toMatchObject({ journeyId: 'password-reset', status: 'ended', survey: { csat: 5, ces: 6 } });
  expect(typeof ended.version).toBe('number');
  expect(ended.outcome).not.toBeNull();
  expect(ended.endedAtIso).toBe(new Date(ended.endedAt).toISOString());
  expect(ended.vars.reset).toMatchObject({ resetId: '[secret]' });
  expect(ended.transcript.map((entry: { from: string }) => entry.from)).toEqual(
    expect.arrayContaining(['bot', 'customer']),
  );
  expect(ended.transcript.map((entry: { text?: string }) => entry.text)).toContain('I forgot my password');
  expect(ended.path.map((step: { nodeId: string }) => step.nodeId)).toEqual(
    expect.arrayContaining(['start', 'send_link']),
  );
  const open = lines.find((line) => line.conversationId === 'exp-open')!;
  expect(open).toMatchObject({ status: 'active', endedAt: null, endedAtIso: null });
  expect(open.startedAtIso).toBe(new Date(open.startedAt).toISOString());

  const ofJourney = await as(
    admin,
    request(stack.app).get('/api/conversations/export').query({ from: since, to, journeyId: 'password-reset' }),
  ).expect(200);
  expect(
    parseLines(ofJourney.text)
      .map((line) => line.conversationId)
      .sort(),
  ).toEqual(['exp-ended', 'exp-open']);

  const long = await as(
    admin,
    request(stack.app).get('/api/conversations/export').query({ from: '2020-01-01', to: '2020-12-31' }),
  ).expect(200);
  expect(parseLines(long.text).map((line) => line.conversationId)).toEqual(['exp-old']);

  // The store reads its cursor in pages: pages of 1 give the same conversations.
  const paged: string[] = [];
  for await (const record of exportConversations(stack.store, {
    from: Date.parse(since),
    to: Date.parse(to),
    pageSize: 1,
  }))
    paged.push(record.conversationId);
  expect(paged.sort()).toEqual(['exp-ended', 'exp-open', 'exp-other']);

  const audit = await as(admin, request(stack.app).get('/api/audit')).expect(200);
  const exports = (audit.body.entries as Line[]).filter((e) => e.action === 'conversations.export');
  expect(exports).toHaveLength(3);
  expect(exports).toContainEqual(
    expect.objectContaining({
      by: 'boss@example.com',
      journeyId: 'password-reset',
      details: { from: new Date(since).toISOString(), to: new Date(to).toISOString(), lines: 2, complete: true },
    }),
  );
  expect(JSON.stringify(audit.body)).not.toContain('I forgot my password');
});

test('an agent is refused (403), and so is a caller without a session (401)', async () => {
  const query = { from: '2026-01-01', to: '2026-02-01' };
  await as(agent, request(stack.app).get('/api/conversations/export').query(query)).expect(403);
  await request(stack.app).get('/api/conversations/export').query(query).expect(401);
});

test.each([
  [{ from: 'yesterday', to: '2026-02-01' }, '/from'],
  [{ from: '2026-02-30', to: '2026-03-01' }, '/from'],
  [{ to: '2026-02-01' }, '/from'],
  [{ from: '2026-02-01', to: '2026-01-01' }, '/to'],
  [{ from: '2026-01-01', to: '2026-01-01' }, '/to'],
  [{ from: '2024-01-01', to: '2026-01-01' }, '/to'],
  [{ from: '2026-01-01', to: '2026-02-01', journeyId: 'not an id!' }, '/journeyId'],
  [{ from: '2026-01-01', to: '2026-02-01', limit: '5' }, '/'],
])('a bad query %j is a 400 naming %s', async (query, field) => {
  const res = await as(admin, request(stack.app).get('/api/conversations/export').query(query)).expect(400);
  expect(res.headers['content-type']).toMatch(/problem\+json/);
  expect(res.body.errors[0].path).toBe(field === '/' ? '' : field);
});
