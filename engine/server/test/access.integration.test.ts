/**
 * Route by role: every route the API registers is in the table below with its audience, declares
 * exactly that audience with `allow(...)`, and answers 401 / 403 / "let through" to every kind of
 * caller: no credentials, the customer token of conversation A (on A's routes and on B's), and an
 * agent, a designer and an admin, each signed in by session cookie (+ CSRF) and by API key.
 * "Let through" means anything but 401 and 403: the handler ran (it may answer 400 or 404 to the
 * placeholder ids and empty bodies used here; the business logic has its own tests).
 * Real store (Mongo-wire server) and real Temporal, access control on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { Audience, StaffRole } from '../src/api/access';
import {
  authStoreOf,
  conversationTokenFor,
  createUserWithPassword,
  issueApiKey,
  type AuthOptions,
} from '../src/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Row {
  method: Method;
  path: string;
  audience: Audience[];
}

/** Every route of the API and who may call it. A route missing here fails the test. */
const routes: Row[] = [
  { method: 'GET', path: '/api/health', audience: ['public'] },
  { method: 'GET', path: '/api/ready', audience: ['public'] },
  // The API's OpenAPI document.
  { method: 'GET', path: '/api/openapi.json', audience: ['public'] },
  // Sign-in (me answers 401 itself when nobody is signed in).
  { method: 'POST', path: '/api/auth/login', audience: ['public'] },
  { method: 'GET', path: '/api/auth/me', audience: ['public'] },
  { method: 'POST', path: '/api/auth/logout', audience: ['public'] },
  { method: 'GET', path: '/api/auth/methods', audience: ['public'] },
  { method: 'GET', path: '/api/auth/oidc/start', audience: ['public'] },
  { method: 'GET', path: '/api/auth/oidc/callback', audience: ['public'] },
  // Users and API keys.
  { method: 'GET', path: '/api/admin/users', audience: ['admin'] },
  { method: 'POST', path: '/api/admin/users', audience: ['admin'] },
  { method: 'PATCH', path: '/api/admin/users/:userId', audience: ['admin'] },
  { method: 'GET', path: '/api/admin/api-keys', audience: ['admin'] },
  { method: 'POST', path: '/api/admin/api-keys', audience: ['admin'] },
  { method: 'DELETE', path: '/api/admin/api-keys/:keyId', audience: ['admin'] },
  // One's own API keys (an admin holds every role).
  { method: 'GET', path: '/api/auth/api-keys', audience: ['agent', 'designer'] },
  { method: 'DELETE', path: '/api/auth/api-keys/:keyId', audience: ['agent', 'designer'] },
  { method: 'GET', path: '/api/audit', audience: ['admin'] },
  // Journeys, versions, aliases, diff, migrations.
  // Published triage models.
  { method: 'GET', path: '/api/triage-models', audience: ['designer'] },
  { method: 'POST', path: '/api/triage-models/:name', audience: ['designer'] },
  { method: 'POST', path: '/api/triage-models/:name/classify', audience: ['designer', 'agent'] },
  { method: 'GET', path: '/api/triage-corrections', audience: ['designer'] },
  { method: 'GET', path: '/api/journeys', audience: ['designer'] },
  { method: 'POST', path: '/api/journeys', audience: ['designer'] },
  { method: 'GET', path: '/api/journeys/:id', audience: ['designer'] },
  { method: 'PUT', path: '/api/journeys/:id', audience: ['designer'] },
  { method: 'POST', path: '/api/journeys/:id/validate', audience: ['designer'] },
  { method: 'POST', path: '/api/journeys/:id/publish', audience: ['designer'] },
  { method: 'PUT', path: '/api/journeys/:id/archived', audience: ['designer'] },
  { method: 'GET', path: '/api/journeys/:id/versions', audience: ['designer'] },
  { method: 'GET', path: '/api/journeys/:id/versions/:version', audience: ['designer'] },
  { method: 'GET', path: '/api/journeys/:id/aliases', audience: ['designer'] },
  { method: 'GET', path: '/api/journeys/:id/aliases/:alias', audience: ['designer'] },
  { method: 'PUT', path: '/api/journeys/:id/aliases/:alias', audience: ['designer'] },
  { method: 'POST', path: '/api/journeys/:id/aliases/:alias/rollback', audience: ['designer'] },
  { method: 'GET', path: '/api/journeys/:id/aliases/:alias/history', audience: ['designer'] },
  { method: 'GET', path: '/api/journeys/:id/diff', audience: ['designer'] },
  { method: 'POST', path: '/api/journeys/:id/migrations', audience: ['designer'] },
  { method: 'GET', path: '/api/journeys/:id/migrations', audience: ['designer'] },
  { method: 'GET', path: '/api/activities', audience: ['designer', 'agent'] },
  // Conversations: started by anyone (the widget), then its customer's or an agent's.
  { method: 'POST', path: '/api/conversations', audience: ['public'] },
  // The export of stored conversations (analytics, training data).
  { method: 'GET', path: '/api/conversations/export', audience: ['admin'] },
  { method: 'GET', path: '/api/conversations/:id', audience: ['customer', 'agent'] },
  // Only the customer writes as the customer (agents act through the ticket routes).
  { method: 'POST', path: '/api/conversations/:id/messages', audience: ['customer'] },
  { method: 'POST', path: '/api/conversations/:id/survey', audience: ['customer'] },
  { method: 'GET', path: '/api/conversations/:id/stream', audience: ['customer', 'agent'] },
  { method: 'GET', path: '/api/conversations/:id/expected-wait', audience: ['customer'] },
  // The inbox.
  { method: 'GET', path: '/api/inbox', audience: ['agent'] },
  { method: 'POST', path: '/api/tickets/:id/claim', audience: ['agent'] },
  { method: 'POST', path: '/api/tickets/:id/messages', audience: ['agent'] },
  { method: 'POST', path: '/api/tickets/:id/resolve', audience: ['agent'] },
  { method: 'POST', path: '/api/triage', audience: ['agent', 'designer'] },
  { method: 'POST', path: '/api/classify', audience: ['designer', 'agent'] },
  { method: 'GET', path: '/api/metrics', audience: ['admin', 'designer', 'agent'] },
  { method: 'GET', path: '/metrics', audience: ['admin'] },
  // Rows for the routes of the other areas (their routers declare these audiences).
  { method: 'GET', path: '/api/journeys/:id/versions/:version/overlay', audience: ['designer', 'agent'] },
  { method: 'GET', path: '/api/journeys/:id/versions/:version/conversations', audience: ['designer', 'agent'] },
  { method: 'GET', path: '/api/inbox/items', audience: ['agent'] },
  { method: 'GET', path: '/api/tickets/:id', audience: ['agent'] },
  { method: 'POST', path: '/api/tickets/:id/assist', audience: ['agent'] },
  { method: 'POST', path: '/api/tickets/:id/notes', audience: ['agent'] },
  { method: 'POST', path: '/api/tickets/:id/feedback', audience: ['agent'] },
  { method: 'POST', path: '/api/tickets/:id/intent', audience: ['agent'] },
  { method: 'POST', path: '/api/tickets/:id/typing', audience: ['agent'] },
  { method: 'DELETE', path: '/api/customers/:id', audience: ['admin'] },
  { method: 'GET', path: '/api/customers/:id/erasure', audience: ['admin'] },
  { method: 'GET', path: '/api/settings/retention', audience: ['admin'] },
  { method: 'PUT', path: '/api/settings/retention', audience: ['admin'] },
  { method: 'GET', path: '/api/settings/retention/preview', audience: ['admin'] },
  { method: 'POST', path: '/api/settings/retention/run', audience: ['admin'] },
  { method: 'GET', path: '/api/kb/search', audience: ['agent', 'designer'] },
  { method: 'GET', path: '/api/kb/articles', audience: ['agent', 'designer'] },
  { method: 'GET', path: '/api/kb/articles/:id', audience: ['agent', 'designer'] },
  { method: 'POST', path: '/api/kb/articles', audience: ['designer'] },
  { method: 'PUT', path: '/api/kb/articles/:id', audience: ['designer'] },
  { method: 'DELETE', path: '/api/kb/articles/:id', audience: ['designer'] },
  { method: 'POST', path: '/api/kb/import', audience: ['designer'] },
  { method: 'GET', path: '/api/canned-responses', audience: ['agent', 'admin'] },
  { method: 'PUT', path: '/api/canned-responses/:id', audience: ['admin'] },
  { method: 'DELETE', path: '/api/canned-responses/:id', audience: ['admin'] },
  { method: 'GET', path: '/api/queues', audience: ['admin', 'agent'] },
  { method: 'GET', path: '/api/queues/:queueId', audience: ['admin', 'agent'] },
  { method: 'PUT', path: '/api/queues/:queueId', audience: ['admin'] },
  { method: 'GET', path: '/api/agents', audience: ['admin', 'agent'] },
  { method: 'GET', path: '/api/agents/:agentId', audience: ['admin', 'agent'] },
  { method: 'PUT', path: '/api/agents/:agentId', audience: ['admin'] },
];

interface RegisteredRoute {
  method: Method;
  path: string;
  /** What its `allow(...)` declares; undefined when it has none. */
  audience?: Audience[];
}

interface RouterLayer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: { audiences?: Audience[] } }[] };
  handle: { stack?: RouterLayer[]; rateLimitOnly?: boolean };
}

/** The routes Express really has, found by walking the router (Express 5: `app.router`). */
function registeredRoutes(app: Express): RegisteredRoute[] {
  const found: RegisteredRoute[] = [];
  const walk = (layers: RouterLayer[], prefix: string) => {
    for (const layer of layers) {
      if (layer.route) {
        const audiences = layer.route.stack.map((entry) => entry.handle.audiences).find((value) => value !== undefined);
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          found.push({
            method: method.toUpperCase() as Method,
            path: `${prefix}${layer.route.path}`,
            ...(audiences && { audience: [...audiences] }),
          });
        }
      } else if (layer.handle.stack && !layer.handle.rateLimitOnly) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, `${prefix}${mount}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack, '');
  return found;
}

const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;
const secret = 'access-test-secret-0123456789abcdefghijklmnop';
const authOptions: AuthOptions = { tokenSecret: secret, loginAttemptsPerWindow: 0, customerRequestsPerToken: 0 };

let stack: TestStack;
const password = 'correct horse battery staple';
interface Caller {
  name: string;
  /** Sets the credentials on a request. */
  apply: (test: request.Test) => request.Test;
  roles: StaffRole[];
  customerOf?: string;
  renew?: () => Promise<void>;
}
const callers: Caller[] = [];

async function signIn(app: Express, email: string): Promise<{ cookie: string; csrfToken: string }> {
  const res = await request(app).post('/api/auth/login').send({ email, password }).expect(200);
  const cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] as string;
  expect(cookie).toMatch(/^baton_session=/);
  return { cookie, csrfToken: res.body.csrfToken as string };
}

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  callers.push({ name: 'no credentials', apply: (test) => test, roles: [] });
  callers.push({
    name: 'customer of A',
    apply: (test) => test.set('authorization', `Bearer ${conversationTokenFor('conv-a', authOptions)}`),
    roles: [],
    customerOf: 'conv-a',
  });
  for (const role of ['agent', 'designer', 'admin'] as const) {
    const email = `${role}@example.com`;
    await createUserWithPassword(users, { email, password, roles: [role] });
    let session = await signIn(stack.app, email);
    callers.push({
      name: `${role} (session)`,
      apply: (test) => test.set('cookie', session.cookie).set('x-csrf-token', session.csrfToken),
      roles: [role],
      // The walk calls POST /api/auth/logout too, which ends the session: sign in again after it.
      renew: async () => {
        session = await signIn(stack.app, email);
      },
    });
    const apiKey = await issueApiKey(users, { name: `${role} script`, roles: [role], createdBy: 'test' });
    callers.push({
      name: `${role} (API key)`,
      apply: (test) => test.set('authorization', `Bearer ${apiKey}`),
      roles: [role],
    });
  }
});
afterAll(async () => {
  await stack?.stop();
});

describe('the route table', () => {
  it('lists every registered route, and each declares exactly the audience of the table', () => {
    const registered = registeredRoutes(stack.app);
    const table = new Map(routes.map((row) => [key(row), row]));
    const missing = registered.filter((route) => !table.has(key(route))).map(key);
    expect(missing).toEqual([]);
    const gone = routes.filter((row) => !registered.some((route) => key(route) === key(row))).map(key);
    expect(gone).toEqual([]);
    const undeclared = registered.filter((route) => !route.audience).map(key);
    expect(undeclared).toEqual([]);
    for (const route of registered)
      expect({ route: key(route), audience: [...(route.audience ?? [])].sort() }).toEqual({
        route: key(route),
        audience: [...(table.get(key(route))?.audience ?? [])].sort(),
      });
  });
});

/** A concrete URL for a route: conversation routes point at `conversation`; other ids are placeholders. */
function urlOf(row: Row, conversation: string): string {
  return row.path
    .replace(':id', row.path.startsWith('/api/conversations/') ? conversation : 'placeholder-id')
    .replace(':version', '1')
    .replace(':alias', 'live')
    .replace(':userId', 'no-such-user')
    .replace(':keyId', 'no-such-key')
    .replace(/:\w+/g, 'placeholder');
}

function expected(row: Row, caller: Caller, conversation: string): 'through' | 401 | 403 {
  if (row.audience.includes('public')) return 'through';
  if (caller.customerOf !== undefined)
    return row.audience.includes('customer') && caller.customerOf === conversation ? 'through' : 403;
  if (caller.roles.length === 0) return 401;
  // `admin` holds every staff role, never a customer's: a customer-only route refuses it too.
  const staffAudience = row.audience.some((audience) => audience !== 'customer');
  const granted =
    (caller.roles.includes('admin') && staffAudience) || caller.roles.some((role) => row.audience.includes(role));
  return granted ? 'through' : 403;
}

function send(app: Express, row: Row, url: string): request.Test {
  const agent = request(app);
  const test =
    row.method === 'GET'
      ? agent.get(url)
      : row.method === 'POST'
        ? agent.post(url)
        : row.method === 'PUT'
          ? agent.put(url)
          : row.method === 'PATCH'
            ? agent.patch(url)
            : agent.delete(url);
  return row.method === 'GET' || row.method === 'DELETE' ? test : test.send({});
}

describe('every route with every caller', () => {
  // Conversation "conv-a" and "conv-b" do not exist: the handlers answer 404, which is enough to see that access was granted.
  for (const conversation of ['conv-a', 'conv-b']) {
    it(`answers 401, 403 or lets through as the table says (conversation routes on ${conversation})`, async () => {
      const failures: string[] = [];
      for (const row of routes) {
        if (conversation === 'conv-b' && !row.path.startsWith('/api/conversations/')) continue;
        for (const caller of callers) {
          const url = urlOf(row, conversation);
          const res = await caller.apply(send(stack.app, row, url));
          const want = expected(row, caller, conversation);
          // /auth/me is public but says 401 to nobody signed in.
          const meSignedOut = row.path === '/api/auth/me' && caller.roles.length === 0;
          const ok =
            want === 'through'
              ? meSignedOut
                ? res.status === 401
                : res.status !== 401 && res.status !== 403
              : res.status === want;
          if (!ok)
            failures.push(
              `${row.method} ${url} as ${caller.name}: got ${res.status}, want ${want}${meSignedOut ? ' (401 from me)' : ''} ${JSON.stringify(res.body).slice(0, 160)}`,
            );
          if (res.status >= 500) failures.push(`${row.method} ${url} as ${caller.name}: ${res.status}`);
          if (row.path === '/api/auth/logout') await caller.renew?.();
        }
      }
      expect(failures).toEqual([]);
    });
  }
});

describe('sessions and CSRF', () => {
  it('refuses an unsafe request signed in by cookie without the CSRF token or with a wrong one, and takes the right one', async () => {
    const { cookie, csrfToken } = await signIn(stack.app, 'designer@example.com');
    const draft = { id: 'csrf-journey', name: 'CSRF', schemaVersion: 1, nodes: [], edges: [] };
    const missing = await request(stack.app).post('/api/journeys').set('cookie', cookie).send(draft).expect(403);
    expect(missing.body.title).toMatch(/CSRF/);
    await request(stack.app)
      .post('/api/journeys')
      .set('cookie', cookie)
      .set('x-csrf-token', 'not-the-token')
      .send(draft)
      .expect(403);
    await request(stack.app)
      .post('/api/journeys')
      .set('cookie', cookie)
      .set('x-csrf-token', csrfToken)
      .send(draft)
      .expect(201);
    // Safe methods need none.
    await request(stack.app).get('/api/journeys/csrf-journey').set('cookie', cookie).expect(200);
  });

  it('sets an http-only, SameSite=Lax cookie (not Secure over plain http); /me answers the user and the CSRF token', async () => {
    const res = await request(stack.app)
      .post('/api/auth/login')
      .send({ email: 'agent@example.com', password })
      .expect(200);
    const setCookie = String(res.headers['set-cookie']?.[0]);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    expect(res.body.user).toMatchObject({ email: 'agent@example.com', roles: ['agent'] });
    expect(res.body.user.passwordHash).toBeUndefined();
    const cookie = setCookie.split(';')[0] as string;
    const me = await request(stack.app).get('/api/auth/me').set('cookie', cookie).expect(200);
    expect(me.body).toEqual({
      user: expect.objectContaining({ email: 'agent@example.com' }),
      csrfToken: res.body.csrfToken,
    });
  });

  it('answers the same 401 to a wrong password and to an unknown user', async () => {
    const wrong = await request(stack.app)
      .post('/api/auth/login')
      .send({ email: 'agent@example.com', password: 'wrong password!!' })
      .expect(401);
    const unknown = await request(stack.app)
      .post('/api/auth/login')
      .send({ email: 'nobody@example.com', password: 'wrong password!!' })
      .expect(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('ends the session at sign-out', async () => {
    const { cookie, csrfToken } = await signIn(stack.app, 'agent@example.com');
    await request(stack.app).get('/api/inbox').set('cookie', cookie).expect(200);
    await request(stack.app).post('/api/auth/logout').set('cookie', cookie).set('x-csrf-token', csrfToken).expect(204);
    await request(stack.app).get('/api/inbox').set('cookie', cookie).expect(401);
    await request(stack.app).get('/api/auth/me').set('cookie', cookie).expect(401);
  });

  it('an expired session is not accepted, and the next sign-in clears the expired ones', async () => {
    const { cookie } = await signIn(stack.app, 'agent@example.com');
    const sessions = stack.store.collection('sessions');
    const agent = await authStoreOf(stack.store.collection('users').db).findUserByEmail('agent@example.com');
    await sessions.updateMany({ userId: agent?.userId }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await request(stack.app).get('/api/inbox').set('cookie', cookie).expect(401);
    expect(await sessions.countDocuments({ userId: agent?.userId })).toBeGreaterThan(0);
    await signIn(stack.app, 'agent@example.com');
    expect(await sessions.countDocuments({ userId: agent?.userId })).toBe(1);
  });
});

describe('authors', () => {
  it('a signed-in person publishes as themself, whatever the body says', async () => {
    const { cookie, csrfToken } = await signIn(stack.app, 'designer@example.com');
    const me = await request(stack.app).get('/api/auth/me').set('cookie', cookie).expect(200);
    const name = (me.body.user?.name ?? me.body.name) as string;
    expect(typeof name).toBe('string');
    const draft = {
      id: 'authored',
      name: 'Authored',
      schemaVersion: 1,
      nodes: [
        { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
        { id: 'done', type: 'end', position: { x: 0, y: 100 }, data: { outcome: 'resolved_by_bot' } },
      ],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'next', target: 'done' }],
    };
    await request(stack.app)
      .post('/api/journeys')
      .set('cookie', cookie)
      .set('x-csrf-token', csrfToken)
      .send(draft)
      .expect(201);
    await request(stack.app)
      .post('/api/journeys/authored/publish')
      .set('cookie', cookie)
      .set('x-csrf-token', csrfToken)
      .send({ author: 'someone else', message: 'first' })
      .expect(201);
    const versions = await request(stack.app).get('/api/journeys/authored/versions').set('cookie', cookie).expect(200);
    expect(JSON.stringify(versions.body)).not.toContain('someone else');
    expect(JSON.stringify(versions.body)).toContain(JSON.stringify(name));
  });
});

describe('admin routes and the audit log', () => {
  it('an admin creates a user and an API key, changes roles, disables; each change is audited', async () => {
    const admin = await signIn(stack.app, 'admin@example.com');
    const asAdmin = (test: request.Test) => test.set('cookie', admin.cookie).set('x-csrf-token', admin.csrfToken);
    const created = await asAdmin(request(stack.app).post('/api/admin/users'))
      .send({ email: 'New.Agent@Example.com', password, roles: ['agent'] })
      .expect(201);
    expect(created.body.user).toMatchObject({ email: 'new.agent@example.com', roles: ['agent'] });
    await asAdmin(request(stack.app).post('/api/admin/users'))
      .send({ email: 'new.agent@example.com', password, roles: [] })
      .expect(409);
    const bad = await asAdmin(request(stack.app).post('/api/admin/users'))
      .send({ email: 'x@example.com', password: 'short', roles: ['boss'] })
      .expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['/password', '/roles/0']),
    );

    const newcomer = await signIn(stack.app, 'new.agent@example.com');
    await request(stack.app).get('/api/journeys').set('cookie', newcomer.cookie).expect(403);
    await asAdmin(request(stack.app).patch(`/api/admin/users/${created.body.user.userId}`))
      .send({ roles: ['agent', 'designer'] })
      .expect(200);
    // Roles are read at each request: the open session has the new role at once.
    await request(stack.app).get('/api/journeys').set('cookie', newcomer.cookie).expect(200);
    await asAdmin(request(stack.app).patch(`/api/admin/users/${created.body.user.userId}`))
      .send({ disabled: true })
      .expect(200);
    await request(stack.app).get('/api/journeys').set('cookie', newcomer.cookie).expect(401);
    await request(stack.app).post('/api/auth/login').send({ email: 'new.agent@example.com', password }).expect(401);

    const keyRes = await asAdmin(request(stack.app).post('/api/admin/api-keys'))
      .send({ name: 'ci publish', roles: ['designer'] })
      .expect(201);
    expect(keyRes.body.key).toMatch(/^bk_/);
    await request(stack.app).get('/api/journeys').set('authorization', `Bearer ${keyRes.body.key}`).expect(200);
    const listed = await asAdmin(request(stack.app).get('/api/admin/api-keys')).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(keyRes.body.key);
    await asAdmin(request(stack.app).delete(`/api/admin/api-keys/${keyRes.body.apiKey.keyId}`)).expect(204);
    await request(stack.app).get('/api/journeys').set('authorization', `Bearer ${keyRes.body.key}`).expect(401);

    const audit = await asAdmin(request(stack.app).get('/api/audit')).expect(200);
    const actions = audit.body.entries.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.update', 'apiKey.create', 'apiKey.delete']));
    const roleChange = audit.body.entries.find(
      (entry: { action: string; details?: { rolesAfter?: string } }) =>
        entry.action === 'user.update' && entry.details?.rolesAfter,
    );
    expect(roleChange).toMatchObject({
      actor: 'admin@example.com',
      by: 'admin@example.com',
      details: { rolesBefore: 'agent', rolesAfter: 'agent,designer' },
    });
  });

  it('an admin cannot lock themself out', async () => {
    const admin = await signIn(stack.app, 'admin@example.com');
    const me = await request(stack.app).get('/api/auth/me').set('cookie', admin.cookie).expect(200);
    await request(stack.app)
      .patch(`/api/admin/users/${me.body.user.userId}`)
      .set('cookie', admin.cookie)
      .set('x-csrf-token', admin.csrfToken)
      .send({ roles: ['agent'] })
      .expect(409);
  });
});

describe('customer tokens', () => {
  const journey = JSON.parse(
    readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
  ) as Record<string, unknown>;
  const customer = { id: 'cust-1', name: 'Ana', email: 'ana@example.com' };

  it('POST /api/conversations answers a token that reads that conversation only, also as ?token= on the stream', async () => {
    const designerKey = await issueApiKey(authStoreOf(stack.store.collection('users').db), {
      name: 'setup',
      roles: ['designer'],
      createdBy: 'test',
    });
    await request(stack.app)
      .post('/api/journeys')
      .set('authorization', `Bearer ${designerKey}`)
      .send(journey)
      .expect(201);
    await request(stack.app)
      .post('/api/journeys/password-reset/publish')
      .set('authorization', `Bearer ${designerKey}`)
      .send({ author: 'someone else' })
      .expect(201);
    // The audit keeps who really published (the API key), next to the author the body claims.
    const entries = (await stack.store
      .collection('audit')
      .find({ action: 'publish', journeyId: 'password-reset' })
      .toArray()) as unknown as { actor?: string; by?: string }[];
    expect(entries).toEqual([
      expect.objectContaining({
        actor: 'someone else',
        by: expect.stringMatching(/^apiKey:[0-9a-f-]+ \(API key "setup"\)$/),
      }),
    ]);
    const a = await request(stack.app)
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer })
      .expect(201);
    const b = await request(stack.app)
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer: { ...customer, id: 'cust-2' } })
      .expect(201);
    expect(typeof a.body.token).toBe('string');
    const tokenA = a.body.token as string;
    await request(stack.app)
      .get(`/api/conversations/${a.body.conversationId}`)
      .set('authorization', `Bearer ${tokenA}`)
      .expect(200);
    await request(stack.app)
      .get(`/api/conversations/${b.body.conversationId}`)
      .set('authorization', `Bearer ${tokenA}`)
      .expect(403);
    await request(stack.app)
      .get(`/api/conversations/${b.body.conversationId}/stream?token=${encodeURIComponent(tokenA)}`)
      .expect(403);
    await request(stack.app)
      .post(`/api/conversations/${b.body.conversationId}/messages`)
      .set('authorization', `Bearer ${tokenA}`)
      .send({ text: 'hi', clientMessageId: 'm1' })
      .expect(403);
    await request(stack.app).get(`/api/conversations/${a.body.conversationId}`).expect(401);
    // Its own stream opens with ?token= (EventSource cannot send headers).
    const stream = await new Promise<{ status: number; type: string }>((resolve, reject) => {
      const server = stack.app.listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port;
        fetch(
          `http://127.0.0.1:${port}/api/conversations/${a.body.conversationId}/stream?token=${encodeURIComponent(tokenA)}`,
        )
          .then(async (res) => {
            const reader = res.body?.getReader();
            await reader?.read();
            await reader?.cancel();
            server.closeAllConnections();
            server.close();
            resolve({ status: res.status, type: res.headers.get('content-type') ?? '' });
          })
          .catch(reject);
      });
    });
    expect(stream).toEqual({ status: 200, type: 'text/event-stream' });
    // Starting "again" with B's id does not hand out B's token.
    await request(stack.app)
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer, conversationId: b.body.conversationId })
      .expect(409);
    const again = await request(stack.app)
      .post('/api/conversations')
      .set('authorization', `Bearer ${tokenA}`)
      .send({ journeyId: 'password-reset', customer, conversationId: a.body.conversationId })
      .expect(201);
    expect(again.body.conversationId).toBe(a.body.conversationId);
  });

  it('refuses an expired, forged or tampered token with 401', async () => {
    const expired = conversationTokenFor('conv-a', authOptions, Math.floor(Date.now() / 1000) - 8 * 24 * 3600);
    const res = await request(stack.app)
      .get('/api/conversations/conv-a')
      .set('authorization', `Bearer ${expired}`)
      .expect(401);
    expect(res.body.detail).toMatch(/expired/);
    const forged = conversationTokenFor('conv-a', { tokenSecret: 'another-secret-another-secret-another-secret' });
    await request(stack.app).get('/api/conversations/conv-a').set('authorization', `Bearer ${forged}`).expect(401);
    const genuine = conversationTokenFor('conv-b', authOptions);
    const [, signature] = genuine.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ conversationId: 'conv-a', exp: 9_999_999_999 })).toString('base64url')}.${signature}`;
    await request(stack.app).get('/api/conversations/conv-a').set('authorization', `Bearer ${tampered}`).expect(401);
    await request(stack.app).get('/api/conversations/conv-a?token=garbage').expect(401);
    await request(stack.app).get('/api/conversations/conv-a').set('authorization', 'Basic abc').expect(401);
    await request(stack.app).get('/api/journeys').set('authorization', 'Bearer bk_not-a-key').expect(401);
  });
});
