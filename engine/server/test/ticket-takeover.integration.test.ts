/**
 * Check, then act, on the real stack (Temporal dev server, Mongo-wire server, a real worker, access
 * control on): an agent who does not hold a ticket is refused before anything reaches the workflow, so
 * the conversation still waits on the assignee, who can go on; an admin's takeover is audited and works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { authStoreOf, createUserWithPassword, type AuthOptions } from '../src/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const authOptions: AuthOptions = {
  tokenSecret: 'takeover-test-secret-0123456789abcdefghijklmn',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const password = 'correct horse battery staple';
/** The API requires an `agent` in these bodies; a signed-in person acts as themselves whatever it names. */
const named = { id: 'named-in-body', name: 'Named in the body' };

let stack: TestStack;
type Session = { cookie: string; csrfToken: string; userId: string };
const sessions: Record<'agent1' | 'agent2' | 'admin', Session> = {} as Record<'agent1' | 'agent2' | 'admin', Session>;

async function signIn(email: string): Promise<Session> {
  const res = await request(stack.app).post('/api/auth/login').send({ email, password }).expect(200);
  return {
    cookie: String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] as string,
    csrfToken: res.body.csrfToken as string,
    userId: res.body.user.userId as string,
  };
}
const as = (who: keyof typeof sessions, test: request.Test) =>
  test.set('cookie', sessions[who].cookie).set('x-csrf-token', sessions[who].csrfToken);

const conversation = async (conversationId: string) =>
  (await as('admin', request(stack.app).get(`/api/conversations/${conversationId}`)).expect(200)).body.conversation as {
    waiting: { kind: string; ticketId?: string } | null;
    transcript: { from: string; text: string }[];
  };

/** A customer on password-reset who is handed off; answers the ticket id and conversation id. */
async function handedOff(customerId: string): Promise<{ ticketId: string; conversationId: string }> {
  const started = await request(stack.app)
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', customer: { id: customerId, name: 'Ada' }, channel: 'web' })
    .expect(201);
  const { conversationId, token } = started.body as { conversationId: string; token: string };
  const say = (clientMessageId: string, text: string) =>
    request(stack.app)
      .post(`/api/conversations/${conversationId}/messages`)
      .set('authorization', `Bearer ${token}`)
      .send({ clientMessageId, text })
      .expect(201);
  await say('m1', 'I forgot my password');
  await say('m2', "No, it didn't work. This is ridiculous, I've tried everything");
  const view = await conversation(conversationId);
  expect(view.waiting).toMatchObject({ kind: 'agent' });
  return { ticketId: view.waiting?.ticketId as string, conversationId };
}

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  await createUserWithPassword(users, { email: 'one@example.com', name: 'Agent One', password, roles: ['agent'] });
  await createUserWithPassword(users, { email: 'two@example.com', name: 'Agent Two', password, roles: ['agent'] });
  await createUserWithPassword(users, { email: 'boss@example.com', name: 'Boss', password, roles: ['admin'] });
  sessions.agent1 = await signIn('one@example.com');
  sessions.agent2 = await signIn('two@example.com');
  sessions.admin = await signIn('boss@example.com');
  await as('admin', request(stack.app).post('/api/journeys')).send(journey).expect(201);
  await as('admin', request(stack.app).post('/api/journeys/password-reset/publish'))
    .send({ author: 'test' })
    .expect(201);
});
afterAll(async () => {
  await stack?.stop();
});

it("refuses agent2's reply and resolution on agent1's ticket and changes nothing; agent1 goes on", async () => {
  const { ticketId, conversationId } = await handedOff('c-refused');
  await as('agent1', request(stack.app).post(`/api/tickets/${ticketId}/claim`))
    .send({ agent: named })
    .expect(200);

  const resolve = await as('agent2', request(stack.app).post(`/api/tickets/${ticketId}/resolve`))
    .send({ agent: named })
    .expect(409);
  expect(resolve.body.detail).toContain('claimed by Agent One');
  await as('agent2', request(stack.app).post(`/api/tickets/${ticketId}/messages`))
    .send({ agent: named, clientMessageId: 'x1', text: 'Hi, Agent Two here' })
    .expect(409);
  // agent2 cannot take it over either: that is an admin's call.
  await as('agent2', request(stack.app).post(`/api/tickets/${ticketId}/claim`))
    .send({ agent: named, takeover: true })
    .expect(403);

  expect(await stack.store.getTicket(ticketId)).toMatchObject({
    status: 'open',
    assignee: { id: sessions.agent1.userId, name: 'Agent One' },
  });
  const after = await conversation(conversationId);
  expect(after.waiting).toMatchObject({ kind: 'agent' });
  expect(after.transcript.some((entry) => entry.text === 'Hi, Agent Two here')).toBe(false);

  await as('agent1', request(stack.app).post(`/api/tickets/${ticketId}/messages`))
    .send({ agent: named, clientMessageId: 'a1', text: 'I reset it for you.' })
    .expect(201);
  const resolved = await as('agent1', request(stack.app).post(`/api/tickets/${ticketId}/resolve`))
    .send({ agent: named, resolution: 'reset' })
    .expect(200);
  expect(resolved.body.ticket).toMatchObject({ status: 'resolved', assignee: { id: sessions.agent1.userId } });
  expect(resolved.body.conversation.waiting).toMatchObject({ kind: 'survey' });
});

it('refuses a reply to a ticket nobody has claimed, before the workflow hears of it', async () => {
  const { ticketId, conversationId } = await handedOff('c-unclaimed');
  await as('agent2', request(stack.app).post(`/api/tickets/${ticketId}/messages`))
    .send({ agent: named, clientMessageId: 'x1', text: 'Hello?' })
    .expect(409);
  expect(await stack.store.getTicket(ticketId)).toMatchObject({ status: 'pending', assignee: null });
  expect((await conversation(conversationId)).waiting).toMatchObject({ kind: 'agent' });
});

it("lets an admin take over agent1's ticket, audited, and then work it; agent1 is refused afterwards", async () => {
  const { ticketId, conversationId } = await handedOff('c-takeover');
  await as('agent1', request(stack.app).post(`/api/tickets/${ticketId}/claim`))
    .send({ agent: named })
    .expect(200);
  // A plain claim of a claimed ticket is still a conflict, even for an admin.
  await as('admin', request(stack.app).post(`/api/tickets/${ticketId}/claim`))
    .send({ agent: named })
    .expect(409);

  const taken = await as('admin', request(stack.app).post(`/api/tickets/${ticketId}/claim`))
    .send({ agent: named, takeover: true })
    .expect(200);
  expect(taken.body.ticket).toMatchObject({ status: 'open', assignee: { id: sessions.admin.userId, name: 'Boss' } });

  const audit = await as('admin', request(stack.app).get('/api/audit')).expect(200);
  expect(audit.body.entries).toContainEqual(
    expect.objectContaining({
      action: 'ticket.takeover',
      subject: ticketId,
      by: 'boss@example.com',
      details: expect.objectContaining({
        conversationId,
        fromId: sessions.agent1.userId,
        fromName: 'Agent One',
        toId: sessions.admin.userId,
      }),
    }),
  );

  await as('agent1', request(stack.app).post(`/api/tickets/${ticketId}/resolve`))
    .send({ agent: named })
    .expect(409);
  expect((await conversation(conversationId)).waiting).toMatchObject({ kind: 'agent' });
  await as('admin', request(stack.app).post(`/api/tickets/${ticketId}/messages`))
    .send({ agent: named, clientMessageId: 'b1', text: 'Boss here, I will finish this.' })
    .expect(201);
  const resolved = await as('admin', request(stack.app).post(`/api/tickets/${ticketId}/resolve`))
    .send({ agent: named })
    .expect(200);
  expect(resolved.body.ticket).toMatchObject({ status: 'resolved', assignee: { id: sessions.admin.userId } });
  expect(resolved.body.conversation.waiting).toMatchObject({ kind: 'survey' });
});
