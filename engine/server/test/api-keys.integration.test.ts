/**
 * API keys end with their user, and sessions with a password (real Mongo-wire server, access control
 * on): a disabled or deleted user's key is refused (401), as are an expired and a revoked key; a
 * demoted user's key is demoted too; a password change ends the user's other sessions.
 */
import request from 'supertest';
import { authCollections } from '@baton/store/auth';
import { authStoreOf, createUserWithPassword, type AuthOptions } from '../src/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const authOptions: AuthOptions = {
  tokenSecret: 'api-keys-test-secret-0123456789abcdefghijklmno',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const password = 'correct horse battery staple';

let stack: TestStack;
type Session = { cookie: string; csrfToken: string; userId: string };

async function signIn(email: string, secret = password): Promise<Session> {
  const res = await request(stack.app).post('/api/auth/login').send({ email, password: secret }).expect(200);
  return {
    cookie: String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] as string,
    csrfToken: res.body.csrfToken as string,
    userId: res.body.user.userId as string,
  };
}
const as = (session: Session, test: request.Test) =>
  test.set('cookie', session.cookie).set('x-csrf-token', session.csrfToken);
const withKey = (key: string, test: request.Test) => test.set('authorization', `Bearer ${key}`);

let boss: Session;
beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions, worker: false });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  for (const [email, name] of [
    ['boss@example.com', 'Boss'],
    ['ann@example.com', 'Ann'],
    ['ben@example.com', 'Ben'],
    ['cy@example.com', 'Cy'],
  ] as const)
    await createUserWithPassword(users, { email, name, password, roles: ['admin'] });
  boss = await signIn('boss@example.com');
});
afterAll(async () => {
  await stack?.stop();
});

async function keyOf(session: Session, body: Record<string, unknown> = {}) {
  const res = await as(session, request(stack.app).post('/api/admin/api-keys'))
    .send({ name: 'script', roles: ['admin'], ...body })
    .expect(201);
  return { key: res.body.key as string, keyId: res.body.apiKey.keyId as string, apiKey: res.body.apiKey };
}

it("refuses a disabled admin's key (it cannot create an admin any more) and a deleted user's key", async () => {
  const ann = await signIn('ann@example.com');
  const { key, apiKey } = await keyOf(ann);
  expect(apiKey).toMatchObject({ ownerId: ann.userId });
  await withKey(key, request(stack.app).get('/api/admin/users')).expect(200);

  await as(boss, request(stack.app).patch(`/api/admin/users/${ann.userId}`))
    .send({ disabled: true })
    .expect(200);
  const refused = await withKey(key, request(stack.app).post('/api/admin/users'))
    .send({ email: 'mallory@example.com', password: 'another long passphrase here', roles: ['admin'] })
    .expect(401);
  expect(refused.body.detail).toContain('disabled');
  expect(await authStoreOf(stack.store.collection('users').db).findUserByEmail('mallory@example.com')).toBeUndefined();

  // Enabled again, the key works again: it was the user that stopped it.
  await as(boss, request(stack.app).patch(`/api/admin/users/${ann.userId}`))
    .send({ disabled: false })
    .expect(200);
  await withKey(key, request(stack.app).get('/api/admin/users')).expect(200);

  // A key issued through this key belongs to Ann too; removing Ann stops both.
  const child = await withKey(key, request(stack.app).post('/api/admin/api-keys'))
    .send({ name: 'child', roles: ['agent'] })
    .expect(201);
  expect(child.body.apiKey).toMatchObject({ ownerId: ann.userId });
  await stack.store.collection<{ _id: string }>(authCollections.users).deleteOne({ _id: ann.userId });
  await withKey(key, request(stack.app).get('/api/admin/users')).expect(401);
  await withKey(child.body.key as string, request(stack.app).get('/api/inbox/items')).expect(401);
});

it("demotes a demoted user's key with them", async () => {
  const cy = await signIn('cy@example.com');
  const { key } = await keyOf(cy);
  await as(boss, request(stack.app).patch(`/api/admin/users/${cy.userId}`))
    .send({ roles: ['agent'] })
    .expect(200);
  await withKey(key, request(stack.app).get('/api/admin/users')).expect(403);
  await withKey(key, request(stack.app).get('/api/inbox/items')).expect(200);
});

it('refuses an expired key, and a key that expires in the past is not issued', async () => {
  await as(boss, request(stack.app).post('/api/admin/api-keys'))
    .send({ name: 'late', roles: ['agent'], expiresAt: new Date(Date.now() - 1000).toISOString() })
    .expect(400);
  const expiresAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
  const { key, keyId, apiKey } = await keyOf(boss, { expiresAt });
  expect(apiKey.expiresAt).toBe(expiresAt);
  await withKey(key, request(stack.app).get('/api/admin/users')).expect(200);
  // An hour passes (the stored expiry is moved rather than the clock).
  await stack.store
    .collection(authCollections.apiKeys)
    .updateOne({ keyId }, { $set: { expiresAt: new Date(Date.now() - 1000).toISOString() } });
  const refused = await withKey(key, request(stack.app).get('/api/admin/users')).expect(401);
  expect(refused.body.detail).toContain('expired');
});

it('lists and revokes keys: one’s own, and all of them for admins', async () => {
  const ben = await signIn('ben@example.com');
  const { key, keyId } = await keyOf(ben, { name: 'ben script' });
  await withKey(key, request(stack.app).get('/api/admin/users')).expect(200);

  // Last use is written after the request (it never holds one up).
  let own = await as(ben, request(stack.app).get('/api/auth/api-keys')).expect(200);
  for (let tries = 0; !own.body.apiKeys[0]?.lastUsedAt && tries < 20; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    own = await as(ben, request(stack.app).get('/api/auth/api-keys')).expect(200);
  }
  expect(own.body.apiKeys.map((k: { keyId: string }) => k.keyId)).toEqual([keyId]);
  expect(own.body.apiKeys[0].lastUsedAt).toEqual(expect.any(String));
  const all = await as(boss, request(stack.app).get('/api/admin/api-keys')).expect(200);
  expect(all.body.apiKeys.map((k: { keyId: string }) => k.keyId)).toContain(keyId);
  expect(JSON.stringify(all.body)).not.toContain(key);

  // Nobody revokes someone else's key through the own-keys route.
  await as(boss, request(stack.app).delete(`/api/auth/api-keys/${keyId}`)).expect(404);
  await as(ben, request(stack.app).delete(`/api/auth/api-keys/${keyId}`)).expect(204);
  await withKey(key, request(stack.app).get('/api/admin/users')).expect(401);

  const second = await keyOf(ben, { name: 'second' });
  await as(boss, request(stack.app).delete(`/api/admin/api-keys/${second.keyId}`)).expect(204);
  await withKey(second.key, request(stack.app).get('/api/admin/users')).expect(401);
});

it("a password change ends the user's other sessions, not the one that made it", async () => {
  const laptop = await signIn('boss@example.com');
  const phone = await signIn('boss@example.com');
  await as(phone, request(stack.app).get('/api/auth/me')).expect(200);
  await as(laptop, request(stack.app).patch(`/api/admin/users/${laptop.userId}`))
    .send({ password: 'a brand new passphrase, long enough' })
    .expect(200);
  await as(phone, request(stack.app).get('/api/admin/users')).expect(401);
  await as(boss, request(stack.app).get('/api/admin/users')).expect(401);
  await as(laptop, request(stack.app).get('/api/admin/users')).expect(200);
  boss = await signIn('boss@example.com', 'a brand new passphrase, long enough');
});
