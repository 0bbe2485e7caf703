/**
 * The `answer` node on the real stack (Temporal, Mongo-wire server, a real worker, access control
 * on): articles imported through the API, the FAQ example journey published, a customer's question
 * answered from the customer article with its title and link, and the internal article's text never
 * in what the customer reads nor in the assist's suggested reply (it comes back to the agent apart,
 * labelled). The metrics count the answer and that it did not help, not a deflection.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { authStoreOf, createUserWithPassword, type AuthOptions } from '../src/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

const journey = JSON.parse(readFileSync(join(__dirname, '../../../examples/faq/journey.json'), 'utf8')) as Record<
  string,
  unknown
>;
const authOptions: AuthOptions = {
  tokenSecret: 'kb-answer-test-secret-0123456789abcdefghijkl',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const password = 'correct horse battery staple';
/** Words only the internal article has: none may reach the customer. */
const internalWords = ['XK-ALPHA-77', 'back office', 'Override'];

const articles = [
  {
    articleId: 'kb-returns',
    title: 'Return an item',
    body: 'To return an item, print the return label from My orders and drop the parcel at any post office within 30 days. The refund reaches your card five days after the parcel arrives.',
    tags: ['returns', 'refund'],
    audience: 'customer',
    locale: 'en',
  },
  {
    articleId: 'kb-internal-returns',
    title: 'Late returns override (agents)',
    body: "To accept a return after 30 days, open the back office, choose Returns then Override and enter the team lead's approval code XK-ALPHA-77.",
    tags: ['returns', 'refund', 'procedure'],
    audience: 'internal',
  },
  {
    articleId: 'kb-hours',
    title: 'Opening hours',
    body: 'Our support team answers every day from 8:00 to 20:00.',
    tags: ['contact'],
    audience: 'customer',
  },
];

let stack: TestStack;
type Session = { cookie: string; csrfToken: string };
let admin: Session;
let agent: Session;
const as = (session: Session, test: request.Test) =>
  test.set('cookie', session.cookie).set('x-csrf-token', session.csrfToken);

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  await createUserWithPassword(users, { email: 'boss@example.com', name: 'Boss', password, roles: ['admin'] });
  await createUserWithPassword(users, { email: 'agent@example.com', name: 'Agent', password, roles: ['agent'] });
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
  await as(admin, request(stack.app).post('/api/journeys/faq/publish')).send({ author: 'test' }).expect(201);
});
afterAll(async () => {
  await stack?.stop();
});

describe('importing articles', () => {
  it('creates them by id, and importing the same articles again changes nothing', async () => {
    const first = await as(admin, request(stack.app).post('/api/kb/import')).send({ articles }).expect(200);
    expect(first.body).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    const again = await as(admin, request(stack.app).post('/api/kb/import')).send({ articles }).expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const stored = await as(agent, request(stack.app).get('/api/kb/articles/kb-internal-returns')).expect(200);
    expect(stored.body.article).toMatchObject({ audience: 'internal', revision: 1 });
  });

  it('an edit that does not mention the audience (an older editor) keeps an internal article internal', async () => {
    const edited = await as(admin, request(stack.app).put('/api/kb/articles/kb-internal-returns'))
      .send({ title: 'Late returns override (agents)', body: `${articles[1]?.body} Note it in the ticket.`, tags: [] })
      .expect(200);
    expect(edited.body.article).toMatchObject({ audience: 'internal', revision: 2 });
    await as(admin, request(stack.app).post('/api/kb/import')).send({ articles }).expect(200);
  });

  it('refuses the whole import when one article is bad, naming it, and writes none', async () => {
    const bad = await as(admin, request(stack.app).post('/api/kb/import'))
      .send({
        articles: [
          { ...articles[2], articleId: 'kb-new-one' },
          { articleId: 'kb-bad', title: 'Bad', body: 'x', audience: 'staff' },
        ],
      })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('/articles/1/audience');
    await as(agent, request(stack.app).get('/api/kb/articles/kb-new-one')).expect(404);
    await as(agent, request(stack.app).post('/api/kb/import')).send({ articles }).expect(403);
  });
});

describe('a customer asks the FAQ journey', () => {
  it('is answered from the customer article with its title and link; the internal text reaches neither the customer nor the suggested reply', async () => {
    const started = await request(stack.app)
      .post('/api/conversations')
      .send({ journeyId: 'faq', customer: { id: 'cust-faq-1', name: 'Ada' } })
      .expect(201);
    const { conversationId, token } = started.body as { conversationId: string; token: string };
    const asCustomer = (test: request.Test) => test.set('authorization', `Bearer ${token}`);
    await asCustomer(request(stack.app).post(`/api/conversations/${conversationId}/messages`))
      .send({ clientMessageId: 'q1', text: 'How do I return an item I bought, and when is my refund paid?' })
      .expect(201);

    let view = await asCustomer(request(stack.app).get(`/api/conversations/${conversationId}`)).expect(200);
    for (let tries = 0; tries < 100 && !JSON.stringify(view.body).includes('Did that answer'); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await asCustomer(request(stack.app).get(`/api/conversations/${conversationId}`)).expect(200);
    }
    const seen = JSON.stringify(view.body);
    expect(seen).toContain('print the return label from My orders');
    expect(seen).toContain('Return an item: /kb/kb-returns');
    expect(seen).toContain('Did that answer your question?');
    expect(seen).toContain('"quickReplies":["Yes","No"]');
    for (const word of internalWords) expect(seen).not.toContain(word);

    const reply = await asCustomer(request(stack.app).post(`/api/conversations/${conversationId}/messages`))
      .send({ clientMessageId: 'q2', text: 'No, I bought it two months ago' })
      .expect(201);
    for (const word of internalWords) expect(JSON.stringify(reply.body)).not.toContain(word);

    let ticketId = '';
    for (let tries = 0; tries < 100 && !ticketId; tries++) {
      const state = await stack.conversations.get(conversationId);
      ticketId = state.handoffs[0]?.ticketId ?? '';
      if (!ticketId) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ticketId).not.toBe('');
    const state = await stack.conversations.get(conversationId);
    expect(state.path.find((step) => step.nodeId === 'faq_answer')).toMatchObject({ handle: 'not_resolved' });

    const assist = await as(agent, request(stack.app).post(`/api/tickets/${ticketId}/assist`))
      .send({ question: 'return after 30 days, late return, refund' })
      .expect(200);
    expect(assist.body.internalGuidance).toEqual([
      expect.objectContaining({ articleId: 'kb-internal-returns', audience: 'internal' }),
    ]);
    expect(assist.body.basedOn).toBe('kb-returns');
    for (const word of internalWords) {
      expect(assist.body.suggestedReply ?? '').not.toContain(word);
      expect(assist.body.answer ?? '').not.toContain(word);
    }

    const metrics = await as(admin, request(stack.app).get('/api/metrics'))
      .query({ journeyId: 'faq', from: 0, to: Date.now() + 60_000 })
      .expect(200);
    expect(metrics.body.overall.answers).toMatchObject({
      visits: 1,
      answered: 1,
      unsure: 0,
      confirmed: 0,
      assumed: 0,
      notResolved: 1,
    });
    expect(metrics.body.overall.conversations.escalated).toBe(1);
  });
});
