/**
 * The inbox with access control on (real Mongo-wire server): a signed-in agent acts as themselves,
 * whatever `agent` the body names, and a designer can edit the knowledge base but not work tickets.
 */
import request from 'supertest';
import { authStoreOf, createUserWithPassword, type AuthOptions } from '../src/api/auth';
import { inboxCollections, type TicketPacket } from '@baton/store';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const authOptions: AuthOptions = {
  tokenSecret: 'inbox-auth-test-secret-0123456789abcdefghijkl',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const password = 'correct horse battery staple';

/** A handoff packet as the workflow sends it (no workflow runs in this file). */
const packet: TicketPacket = {
  ticketId: 'tkt-auth-1',
  conversationId: 'conv-auth-1',
  journey: { id: 'password-reset', version: 1 },
  channel: 'web',
  queue: 'accounts',
  priority: 'normal',
  reason: 'test',
  customer: { id: 'c-1', name: 'Ada' },
  intent: { name: 'reset_password', confidence: 0.9 },
  sentiment: { score: -0.5, label: 'negative', history: [0, -0.5] },
  stepsTried: [],
  variables: {},
  counters: {},
  transcript: [{ seq: 1, from: 'customer', text: 'I forgot my password', at: 1 }],
  openedAt: 2,
  summary: 'Customer asked: "I forgot my password".',
};

let stack: TestStack;
const sessions: Record<string, { cookie: string; csrfToken: string; userId: string }> = {};

async function signIn(email: string) {
  const res = await request(stack.app).post('/api/auth/login').send({ email, password }).expect(200);
  return {
    cookie: String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] as string,
    csrfToken: res.body.csrfToken as string,
    userId: res.body.user.userId as string,
  };
}
const as = (who: string, test: request.Test) =>
  test.set('cookie', sessions[who]!.cookie).set('x-csrf-token', sessions[who]!.csrfToken);

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions, worker: false });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  await createUserWithPassword(users, { email: 'kim@example.com', name: 'Kim', password, roles: ['agent'] });
  await createUserWithPassword(users, { email: 'dee@example.com', name: 'Dee', password, roles: ['designer'] });
  sessions.agent = await signIn('kim@example.com');
  sessions.designer = await signIn('dee@example.com');
  await stack.store.openTicket(packet);
});
afterAll(async () => {
  await stack?.stop();
});

it('a signed-in agent acts as themselves, whatever the body says', async () => {
  const added = await as('agent', request(stack.app).post('/api/tickets/tkt-auth-1/notes'))
    .send({ text: 'checked the account', agent: { id: 'someone-else', name: 'Mallory' } })
    .expect(201);
  expect(added.body.note).toMatchObject({ agentId: sessions.agent!.userId, agentName: 'Kim' });
  await as('agent', request(stack.app).post('/api/tickets/tkt-auth-1/feedback'))
    .send({ summaryHelpful: true })
    .expect(201);
  const stored = await stack.store.collection(inboxCollections.feedback).find({ ticketId: 'tkt-auth-1' }).toArray();
  expect(stored).toEqual([
    expect.objectContaining({ agentId: sessions.agent!.userId, summaryHelpful: true, pulse: null }),
  ]);
});

it('claims a ticket as the signed-in agent, not as the agent the body names', async () => {
  await stack.store.openTicket({ ...packet, ticketId: 'tkt-auth-2', conversationId: 'conv-auth-2' });
  // No workflow runs here (worker: false), so the conversation part answers 404; the store's claim came first.
  await as('agent', request(stack.app).post('/api/tickets/tkt-auth-2/claim'))
    .send({ agent: { id: 'someone-else', name: 'Mallory' } })
    .expect(404);
  const ticket = await stack.store.getTicket('tkt-auth-2');
  expect(ticket?.assignee).toMatchObject({ id: sessions.agent!.userId, name: 'Kim' });
});

it('lets a designer edit the knowledge base but not work tickets, and nobody in without signing in', async () => {
  await as('designer', request(stack.app).post('/api/kb/articles'))
    .send({ articleId: 'kb-auth', title: 'Opening hours', body: 'We answer from 8 to 18.' })
    .expect(201);
  await as('agent', request(stack.app).post('/api/kb/articles'))
    .send({ articleId: 'kb-auth-2', title: 'x', body: 'y' })
    .expect(403);
  const found = await as('agent', request(stack.app).get('/api/kb/search').query({ q: 'opening hours' })).expect(200);
  expect(found.body.hits[0].articleId).toBe('kb-auth');
  await as('designer', request(stack.app).post('/api/tickets/tkt-auth-1/notes')).send({ text: 'hello' }).expect(403);
  await request(stack.app).get('/api/inbox/items').expect(401);
  await request(stack.app).post('/api/tickets/tkt-auth-1/assist').send({}).expect(401);
});
