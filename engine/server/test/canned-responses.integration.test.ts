/**
 * Canned responses with access control on (real Mongo-wire server): an admin writes them, an agent
 * reads them (and cannot write), a designer neither; bodies are checked field by field.
 */
import request from 'supertest';
import { authStoreOf, createUserWithPassword, type AuthOptions } from '../src/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const authOptions: AuthOptions = {
  tokenSecret: 'canned-test-secret-0123456789abcdefghijklmnop',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
const password = 'correct horse battery staple';

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
const api = () => request(stack.app);

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions, worker: false });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  await createUserWithPassword(users, { email: 'ann@example.com', name: 'Ann', password, roles: ['admin'] });
  await createUserWithPassword(users, { email: 'kim@example.com', name: 'Kim', password, roles: ['agent'] });
  await createUserWithPassword(users, { email: 'dee@example.com', name: 'Dee', password, roles: ['designer'] });
  sessions.admin = await signIn('ann@example.com');
  sessions.agent = await signIn('kim@example.com');
  sessions.designer = await signIn('dee@example.com');
});
afterAll(async () => {
  await stack?.stop();
});

it('an admin creates, replaces and deletes; agents read them sorted by title', async () => {
  const greeting = { title: 'Greeting', text: 'Hi {{customer.name}}, thanks for waiting.' };
  const created = await as('admin', api().put('/api/canned-responses/greeting').send(greeting)).expect(201);
  expect(created.body.response).toMatchObject({ id: 'greeting', ...greeting, updatedBy: sessions.admin!.userId });
  await as(
    'admin',
    api().put('/api/canned-responses/apology').send({ title: 'Apology', text: 'Sorry about that.' }),
  ).expect(201);
  const replaced = await as(
    'admin',
    api()
      .put('/api/canned-responses/greeting')
      .send({ ...greeting, text: 'Hello {{customer.firstName}}!' }),
  ).expect(200);
  expect(replaced.body.response.text).toBe('Hello {{customer.firstName}}!');

  const listed = await as('agent', api().get('/api/canned-responses')).expect(200);
  expect(listed.body.responses.map((r: { id: string; text: string }) => [r.id, r.text])).toEqual([
    ['apology', 'Sorry about that.'],
    ['greeting', 'Hello {{customer.firstName}}!'],
  ]);

  await as('admin', api().delete('/api/canned-responses/apology')).expect(204);
  const missing = await as('admin', api().delete('/api/canned-responses/apology')).expect(404);
  expect(missing.body.detail).toMatch(/apology/);
  const after = await as('agent', api().get('/api/canned-responses')).expect(200);
  expect(after.body.responses.map((r: { id: string }) => r.id)).toEqual(['greeting']);
});

it('an agent may not write them, a designer may not read them, nobody anonymous does either', async () => {
  await as('agent', api().put('/api/canned-responses/x').send({ title: 'X', text: 'x' })).expect(403);
  await as('agent', api().delete('/api/canned-responses/greeting')).expect(403);
  await as('designer', api().get('/api/canned-responses')).expect(403);
  await api().get('/api/canned-responses').expect(401);
});

it('names the field that is wrong', async () => {
  const empty = await as('admin', api().put('/api/canned-responses/bad').send({ title: ' ', text: 'x' })).expect(400);
  expect(JSON.stringify(empty.body)).toMatch(/title/);
  const extra = await as(
    'admin',
    api().put('/api/canned-responses/bad').send({ title: 'T', text: 'x', to: 'all' }),
  ).expect(400);
  expect(JSON.stringify(extra.body)).toMatch(/to/);
  const badId = await as('admin', api().put('/api/canned-responses/9%20bad').send({ title: 'T', text: 'x' })).expect(
    400,
  );
  expect(JSON.stringify(badId.body)).toMatch(/canned response id/);
});
