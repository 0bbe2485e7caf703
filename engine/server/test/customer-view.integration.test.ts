/**
 * What a customer's token reads (docs/security.md): on the real stack (Temporal, Mongo-wire, a real
 * worker, access control on), the customer of a password reset reads the customer view, by GET and
 * by the event stream: no variables (so not the reset link's token), no path notes, routing,
 * sentiment, staff ids or Temporal link. An agent reads the variables with the secret hidden. The
 * event streams are capped per token and per IP and share one watch per conversation; the reset
 * activity's log line carries no secret.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { sendResetLink } from '@baton/examples';
import { createApp } from '../src/api';
import { authStoreOf, createUserWithPassword, type AuthOptions } from '../src/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const authOptions: AuthOptions = {
  tokenSecret: 'customer-view-test-secret-0123456789abcdefghij',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const password = 'correct horse battery staple';

let stack: TestStack;
let agent: { cookie: string; csrfToken: string };
const asAgent = (test: request.Test) => test.set('cookie', agent.cookie).set('x-csrf-token', agent.csrfToken);

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  await createUserWithPassword(users, { email: 'agent@example.com', name: 'Agent', password, roles: ['agent'] });
  await createUserWithPassword(users, { email: 'boss@example.com', name: 'Boss', password, roles: ['admin'] });
  const login = async (email: string) => {
    const res = await request(stack.app).post('/api/auth/login').send({ email, password }).expect(200);
    return {
      cookie: String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] as string,
      csrfToken: res.body.csrfToken as string,
    };
  };
  const admin = await login('boss@example.com');
  const asAdmin = (test: request.Test) => test.set('cookie', admin.cookie).set('x-csrf-token', admin.csrfToken);
  await asAdmin(request(stack.app).post('/api/journeys')).send(journey).expect(201);
  await asAdmin(request(stack.app).post('/api/journeys/password-reset/publish')).send({ author: 'test' }).expect(201);
  agent = await login('agent@example.com');
});
afterAll(async () => {
  await stack?.stop();
});

/** A customer who asked for a reset link for someone else's address: the attacker of the probe. */
async function resetRequested(conversationId: string) {
  const started = await request(stack.app)
    .post('/api/conversations')
    .send({
      journeyId: 'password-reset',
      conversationId,
      customer: { id: 'victim-1', email: 'victim@example.com', name: 'Victim' },
    })
    .expect(201);
  const token = started.body.token as string;
  await request(stack.app)
    .post(`/api/conversations/${conversationId}/messages`)
    .set('authorization', `Bearer ${token}`)
    .send({ clientMessageId: 'm1', text: 'I forgot my password' })
    .expect(201);
  // The link is sent by an activity: wait until its result is in the conversation.
  let resetId = '';
  for (let tries = 0; tries < 100 && !resetId; tries++) {
    const view = await stack.conversations.get(conversationId);
    const reset = view.vars.reset as { resetId?: string } | undefined;
    resetId = reset?.resetId ?? '';
    if (!resetId) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(resetId).toMatch(/^rst_/);
  return { token, resetId };
}

/** What a customer must never read, as text in a JSON answer or an event stream. */
function expectNothingInternal(text: string, resetId: string) {
  expect(text).not.toContain(resetId);
  for (const word of [
    'resetId',
    '"vars":{"',
    '"path"',
    '"note"',
    '"queue"',
    '"priority"',
    '"sentiment"',
    '"reason"',
    '"handoffs"',
    '"customer":',
    '"counters"',
    'temporalUrl',
    '"nodeId"',
    '"intent"',
  ])
    expect(text).not.toContain(word);
}

async function listen(app: ReturnType<typeof createApp>): Promise<{ base: string; server: Server }> {
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Opens an event stream; `text()` is what arrived so far. */
async function openStream(url: string, token: string) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  let text = '';
  let done: Promise<void> = Promise.resolve();
  if (res.status === 200 && res.body) {
    const reader = res.body.getReader();
    done = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (chunk.done) break;
        text += decoder.decode(chunk.value, { stream: true });
      }
    })();
  }
  return { status: res.status, res, text: () => text, done, close: () => controller.abort() };
}

describe("the customer's token reads the customer view", () => {
  it('GET and the stream carry no variables, secrets, notes, routing, sentiment, staff ids or Temporal link', async () => {
    const { token, resetId } = await resetRequested('cv-probe');
    const mine = await request(stack.app)
      .get('/api/conversations/cv-probe')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expectNothingInternal(JSON.stringify(mine.body), resetId);
    expect(mine.body.conversation).toMatchObject({ conversationId: 'cv-probe', status: 'active', vars: {} });
    expect(mine.body.conversation.transcript.map((entry: { from: string }) => entry.from)).toContain('customer');
    expect(mine.body.conversation.waiting).toEqual({ kind: 'reply' });

    const { base, server } = await listen(stack.app);
    try {
      const stream = await openStream(`${base}/api/conversations/cv-probe/stream`, token);
      expect(stream.status).toBe(200);
      for (let tries = 0; tries < 50 && !stream.text().includes('event: state'); tries++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      stream.close();
      expect(stream.text()).toContain('event: message');
      expect(stream.text()).toContain('event: state');
      expectNothingInternal(stream.text(), resetId);
    } finally {
      server.close();
    }
  });

  it("an agent reads the variables, the reset link's token as [secret] (in the path notes too)", async () => {
    const { resetId } = await resetRequested('cv-agent');
    const staff = await asAgent(request(stack.app).get('/api/conversations/cv-agent')).expect(200);
    expect(JSON.stringify(staff.body)).not.toContain(resetId);
    expect(staff.body.conversation.vars.reset).toMatchObject({ sent: true, resetId: '[secret]' });
    expect(staff.body.conversation.vars.request).toBe('I forgot my password');
    expect(staff.body.conversation.path.length).toBeGreaterThan(0);
  });
});

it("the handoff packet (the agent's ticket) carries the reset link's token as [secret]", async () => {
  const { token, resetId } = await resetRequested('cv-handoff');
  await request(stack.app)
    .post('/api/conversations/cv-handoff/messages')
    .set('authorization', `Bearer ${token}`)
    .send({ clientMessageId: 'm2', text: "No, it didn't work. This is ridiculous, I've tried everything" })
    .expect(201);
  let ticketId: string | undefined;
  for (let tries = 0; tries < 100 && !ticketId; tries++) {
    const view = await stack.conversations.get('cv-handoff');
    if (view.waiting?.kind === 'agent') ticketId = view.waiting.ticketId;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(ticketId).toBeDefined();
  const ticket = await asAgent(request(stack.app).get(`/api/tickets/${ticketId}`)).expect(200);
  expect(JSON.stringify(ticket.body)).not.toContain(resetId);
  expect(JSON.stringify(ticket.body)).toContain('[secret]');
  const mine = await request(stack.app)
    .get('/api/conversations/cv-handoff')
    .set('authorization', `Bearer ${token}`)
    .expect(200);
  expectNothingInternal(JSON.stringify(mine.body), resetId);
  expect(mine.body.conversation.waiting).toEqual({ kind: 'agent' });
  expect(mine.body.conversation.transcript.some((entry: { notice?: boolean }) => entry.notice !== undefined)).toBe(
    true,
  );
});

it("an agent's claim, reply and resolve answer the conversation with the reset link's token as [secret]", async () => {
  const { token, resetId } = await resetRequested('cv-work');
  await request(stack.app)
    .post('/api/conversations/cv-work/messages')
    .set('authorization', `Bearer ${token}`)
    .send({ clientMessageId: 'm2', text: "No, it didn't work. This is ridiculous, I've tried everything" })
    .expect(201);
  let ticketId: string | undefined;
  for (let tries = 0; tries < 100 && !ticketId; tries++) {
    const view = await stack.conversations.get('cv-work');
    if (view.waiting?.kind === 'agent') ticketId = view.waiting.ticketId;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(ticketId).toBeDefined();
  // A session acts as its own user whatever the body names.
  const me = { id: 'agent', name: 'Agent' };
  const at = (action: string) => asAgent(request(stack.app).post(`/api/tickets/${ticketId}/${action}`));
  const answers = [
    await at('claim').send({ agent: me }).expect(200),
    await at('messages').send({ agent: me, clientMessageId: 'a1', text: 'On it.' }).expect(201),
    await at('notes').send({ text: 'Checked.' }).expect(201),
    await at('resolve').send({ agent: me }).expect(200),
    await asAgent(request(stack.app).get(`/api/tickets/${ticketId}`)).expect(200),
  ];
  for (const answer of answers) expect(answer.text).not.toContain(resetId);
  // The conversation answers carry the variables, the token hidden.
  for (const answer of [answers[0], answers[1], answers[3]])
    expect(answer?.body.conversation.vars.reset).toMatchObject({ sent: true, resetId: '[secret]' });
});

describe("what the customer's own requests answer", () => {
  test('the start and each message answer the customer view: no variables, summary, routing or link', async () => {
    const id = 'conv-customer-answers';
    const started = await request(stack.app)
      .post('/api/conversations')
      .send({
        journeyId: 'password-reset',
        conversationId: id,
        customer: { id: 'c-answers', name: 'Ana', email: 'ana@example.com' },
      })
      .expect(201);
    const token = started.body.token as string;
    expect(started.body.conversation.transcript.length).toBeGreaterThan(0);
    expect(started.body.temporalUrl).toBeUndefined();
    const asCustomer = (test: request.Test) => test.set('authorization', `Bearer ${token}`);
    const first = await asCustomer(request(stack.app).post(`/api/conversations/${id}/messages`))
      .send({ clientMessageId: 'a1', text: 'I forgot my password' })
      .expect(201);
    expect(first.body.replies.length).toBeGreaterThan(0);
    const second = await asCustomer(request(stack.app).post(`/api/conversations/${id}/messages`))
      .send({ clientMessageId: 'a2', text: "No it did not work. This is ridiculous, I've tried everything!" })
      .expect(201);
    // The handoff's warm words are a notice; the answer says the conversation waits for an agent.
    expect(second.body.replies.some((reply: { notice?: string }) => reply.notice === 'handoff')).toBe(true);
    expect(second.body.conversation.waiting).toEqual({ kind: 'agent' });
    const resetId = ((await stack.conversations.get(id)).vars.reset as { resetId: string }).resetId;
    expect(resetId).toMatch(/^rst_/);
    for (const answer of [started, first, second]) {
      const text = JSON.stringify({ ...answer.body, token: undefined });
      expectNothingInternal(text, resetId);
    }
  });
});

describe('event streams are bounded', () => {
  it('refuses a stream beyond the cap per token and per IP (429), and streams of one conversation share one watch', async () => {
    const { token } = await resetRequested('cv-streams');
    const { token: other } = await resetRequested('cv-streams-2');
    const reads = new Map<string, number>();
    const counted = Object.create(stack.conversations) as typeof stack.conversations;
    counted.get = (id: string) => {
      reads.set(id, (reads.get(id) ?? 0) + 1);
      return stack.conversations.get(id);
    };
    const app = createApp({
      store: stack.store,
      conversations: counted,
      background: stack.background,
      catalog: () => stack.store.listActivities(),
      streamPollMs: 100,
      streamLimits: { perToken: 2, perIp: 3, idleMs: 60_000 },
      log: () => undefined,
      auth: authOptions,
    });
    const { base, server } = await listen(app);
    const url = (id: string) => `${base}/api/conversations/${id}/stream`;
    try {
      const streams = [await openStream(url('cv-streams'), token), await openStream(url('cv-streams'), token)];
      expect(streams.map((stream) => stream.status)).toEqual([200, 200]);
      const refused = await openStream(url('cv-streams'), token);
      expect(refused.status).toBe(429);
      expect(refused.res.headers.get('content-type')).toContain('application/problem+json');
      expect(await refused.res.json()).toMatchObject({ status: 429, title: 'Too many streams' });
      // Another token from the same address: one more place under the IP cap, then none.
      streams.push(await openStream(url('cv-streams-2'), other));
      expect(streams[2]?.status).toBe(200);
      const overIp = await openStream(url('cv-streams-2'), other);
      expect(overIp.status).toBe(429);
      await overIp.res.text();

      // Two streams on cv-streams, one on cv-streams-2: each conversation is read as often as the other.
      const before = new Map(reads);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const since = (id: string) => (reads.get(id) ?? 0) - (before.get(id) ?? 0);
      expect(since('cv-streams-2')).toBeGreaterThan(3);
      expect(since('cv-streams')).toBeLessThanOrEqual(since('cv-streams-2') * 1.3 + 1);

      // A closed stream gives its place back.
      streams[0]?.close();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const again = await openStream(url('cv-streams'), token);
      expect(again.status).toBe(200);
      again.close();
      for (const stream of streams) stream.close();
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('closes an idle stream', async () => {
    const { token } = await resetRequested('cv-idle');
    const app = createApp({
      store: stack.store,
      conversations: stack.conversations,
      background: stack.background,
      catalog: () => stack.store.listActivities(),
      streamPollMs: 100,
      streamLimits: { idleMs: 500 },
      log: () => undefined,
      auth: authOptions,
    });
    const { base, server } = await listen(app);
    try {
      const stream = await openStream(`${base}/api/conversations/cv-idle/stream`, token);
      expect(stream.status).toBe(200);
      const ended = await Promise.race([
        stream.done.then(() => true),
        new Promise((resolve) => setTimeout(() => resolve(false), 5_000)),
      ]);
      expect(ended).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

it("the reset activity's log line names neither the link's token nor the address", async () => {
  const lines: string[] = [];
  const log = (message: string, attributes?: Record<string, unknown>) =>
    lines.push(`${message} ${JSON.stringify(attributes ?? {})}`);
  const ctx = {
    store: { recordOutbound: async () => ({ created: true }) },
    log: { debug: log, info: log, warn: log, error: log },
    idempotencyKey: () => 'wf/run/1',
  } as unknown as Parameters<typeof sendResetLink.run>[1];
  const output = await sendResetLink.run({ email: 'victim@example.com', customerId: 'victim-1' }, ctx);
  expect(output.resetId).toMatch(/^rst_/);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line).not.toContain(output.resetId);
    expect(line).not.toContain('victim@example.com');
  }
});
