/**
 * What a start may assert (docs/security.md#identity-tokens), on the real stack (Temporal, Mongo-wire,
 * a real worker, access control on): an anonymous caller's `tier: "vip"` is an unverified claim and
 * does not open the complaint journey's urgent ticket; a host site's signed identity token does; a
 * tampered or expired token and a customer claiming `verified` are refused with nothing started; a
 * start variable the journey does not declare an input is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { authStoreOf, createUserWithPassword, type AuthOptions } from '../src/api/auth';
import { signIdentityToken, type IdentityPayload } from '../src/api/identity';
import { ConversationNotFoundError } from '../src/client';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

const complaint = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/complaint/journey.json'), 'utf8'),
) as Record<string, unknown>;
/** The complaint journey with declared variables: one input, one that only the journey writes. */
const withInputs = {
  ...complaint,
  id: 'complaint-inputs',
  variables: {
    orderId: { type: 'string', input: true },
    identityVerified: { type: 'boolean', default: false },
  },
};
const authOptions: AuthOptions = {
  tokenSecret: 'identity-test-token-secret-0123456789abcdef',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const siteSecret = 'identity-test-site-secret-0123456789abcdef';
const password = 'correct horse battery staple';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions, identity: { sites: { shop: siteSecret } } });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  await createUserWithPassword(users, { email: 'boss@example.com', name: 'Boss', password, roles: ['admin'] });
  const login = await request(stack.app)
    .post('/api/auth/login')
    .send({ email: 'boss@example.com', password })
    .expect(200);
  const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] as string;
  const asAdmin = (test: request.Test) =>
    test.set('cookie', cookie).set('x-csrf-token', login.body.csrfToken as string);
  for (const journey of [complaint, withInputs]) {
    await asAdmin(request(stack.app).post('/api/journeys')).send(journey).expect(201);
    await asAdmin(request(stack.app).post(`/api/journeys/${String(journey.id)}/publish`))
      .send({ author: 'test' })
      .expect(201);
  }
});
afterAll(async () => {
  await stack?.stop();
});

const payload = (overrides: Partial<IdentityPayload> = {}): IdentityPayload => ({
  site: 'shop',
  exp: Math.floor(Date.now() / 1000) + 600,
  customer: { id: 'shop-user-7', name: 'Kim', email: 'kim@example.com', tier: 'vip' },
  ...overrides,
});

const start = (body: Record<string, unknown>) =>
  request(stack.app)
    .post('/api/conversations')
    .send({ journeyId: 'complaint', channel: 'web', ...body });

/** The ticket the handoff opened, once the worker has written it. */
async function ticketOf(conversationId: string) {
  const view = await stack.conversations.get(conversationId);
  const ticketId = view.handoffs[0]?.ticketId;
  expect(ticketId).toBeDefined();
  for (let tries = 0; tries < 100; tries++) {
    const ticket = await stack.store.getTicket(ticketId as string);
    if (ticket) return ticket;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ticket ${String(ticketId)} for ${conversationId}`);
}

async function expectNotStarted(conversationId: string) {
  expect(await stack.store.getConversation(conversationId)).toBeNull();
  await expect(stack.conversations.get(conversationId)).rejects.toBeInstanceOf(ConversationNotFoundError);
}

describe('customers from a start', () => {
  it('an anonymous "tier: vip" is an unverified claim: kept for the agent, but no urgent ticket', async () => {
    const conversationId = `anon-vip-${Date.now()}`;
    await start({ conversationId, customer: { id: 'visitor-1', name: 'Max', tier: 'vip' } }).expect(201);
    const view = await stack.conversations.get(conversationId);
    expect(view.customer).toEqual({ id: 'visitor-1', name: 'Max', tier: 'vip', verified: false });
    expect(view.waiting).toMatchObject({ kind: 'agent', nodeId: 'care' });
    expect(view.handoffs[0]).toMatchObject({ priority: 'high' });
    const ticket = await ticketOf(conversationId);
    expect(ticket.priority).toBe('high');
    expect(ticket.customer).toMatchObject({ tier: 'vip', verified: false });
  });

  it("a host site's signed identity token: the customer from its payload, verified, and the urgent ticket", async () => {
    const conversationId = `signed-vip-${Date.now()}`;
    const identityToken = signIdentityToken(payload(), siteSecret);
    const started = await start({ conversationId, identityToken }).expect(201);
    expect(started.body.token).toEqual(expect.any(String));
    const view = await stack.conversations.get(conversationId);
    expect(view.customer).toEqual({
      id: 'shop-user-7',
      name: 'Kim',
      email: 'kim@example.com',
      tier: 'vip',
      verified: true,
    });
    expect(view.waiting).toMatchObject({ kind: 'agent', nodeId: 'care_vip' });
    const ticket = await ticketOf(conversationId);
    expect(ticket.priority).toBe('urgent');
    expect(ticket.customer).toMatchObject({ id: 'shop-user-7', verified: true });
  });

  it('a tampered token (tier raised after signing) answers 401 naming /identityToken and starts nothing', async () => {
    const conversationId = `tampered-${Date.now()}`;
    const [, mac] = signIdentityToken(payload({ customer: { id: 'shop-user-8', tier: 'standard' } }), siteSecret).split(
      '.',
    );
    const raised = Buffer.from(JSON.stringify(payload({ customer: { id: 'shop-user-8', tier: 'vip' } }))).toString(
      'base64url',
    );
    const res = await start({ conversationId, identityToken: `${raised}.${mac}` }).expect(401);
    expect(res.body.errors).toEqual([{ path: '/identityToken', message: expect.stringMatching(/signature/) }]);
    await expectNotStarted(conversationId);
  });

  it('an expired token, or one signed with a secret the site does not have, answers 401 and starts nothing', async () => {
    const expired = `expired-${Date.now()}`;
    const old = signIdentityToken(payload({ exp: Math.floor(Date.now() / 1000) - 1 }), siteSecret);
    const res = await start({ conversationId: expired, identityToken: old }).expect(401);
    expect(res.body.errors).toEqual([{ path: '/identityToken/exp', message: 'the token has expired' }]);
    await expectNotStarted(expired);
    const forged = `forged-${Date.now()}`;
    await start({ conversationId: forged, identityToken: signIdentityToken(payload(), 'a'.repeat(40)) }).expect(401);
    await expectNotStarted(forged);
  });

  it('a customer who claims verified answers 400 naming /customer/verified and starts nothing', async () => {
    const conversationId = `claims-verified-${Date.now()}`;
    const res = await start({ conversationId, customer: { id: 'v', tier: 'vip', verified: true } }).expect(400);
    expect(res.body.errors).toEqual([{ path: '/customer/verified', message: expect.stringMatching(/identityToken/) }]);
    await expectNotStarted(conversationId);
  });
});

describe('start variables', () => {
  it('an undeclared variable, or one the journey does not declare an input, answers 400 naming it; nothing starts', async () => {
    const undeclared = `undeclared-${Date.now()}`;
    const res = await start({ conversationId: undeclared, customer: { id: 'c' }, variables: { note: 'verified' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: '/variables/note', message: 'journey "complaint" declares no variable "note"' },
    ]);
    await expectNotStarted(undeclared);
    const notInput = `not-input-${Date.now()}`;
    const refused = await start({
      journeyId: 'complaint-inputs',
      conversationId: notInput,
      customer: { id: 'c' },
      variables: { identityVerified: true },
    }).expect(400);
    expect(refused.body.errors[0]).toMatchObject({ path: '/variables/identityVerified' });
    await expectNotStarted(notInput);
  });

  it('a declared input of its type is taken; of another type it answers 400', async () => {
    const wrongType = `wrong-type-${Date.now()}`;
    const res = await start({
      journeyId: 'complaint-inputs',
      conversationId: wrongType,
      customer: { id: 'c' },
      variables: { orderId: 42 },
    }).expect(400);
    expect(res.body.errors).toEqual([
      { path: '/variables/orderId', message: '"orderId" is declared string; got a number' },
    ]);
    await expectNotStarted(wrongType);
    const taken = `taken-${Date.now()}`;
    await start({
      journeyId: 'complaint-inputs',
      conversationId: taken,
      customer: { id: 'c' },
      variables: { orderId: 'A-1001' },
    }).expect(201);
    expect((await stack.conversations.get(taken)).vars).toMatchObject({ orderId: 'A-1001', identityVerified: false });
  });
});
