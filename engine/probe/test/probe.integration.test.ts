/**
 * The security probe, small (what CI runs of `npm run probe`): against a test stack served over HTTP
 * with access control on, it finds no hole; and with one route's declared audience changed in the
 * document it reads (public → admin only), or with a real hole planted in front of the API (a proxy
 * that signs every anonymous request in as the admin), it reports the holes, so this test can fail.
 */
import type { AddressInfo } from 'node:net';
import { createServer, request as forward, type Server } from 'node:http';
import { authStoreOf, issueApiKey, type AuthOptions } from '@baton/server/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { runProbe } from '../src/probe';

jest.setTimeout(300_000);

const authOptions: AuthOptions = {
  tokenSecret: 'probe-test-secret-0123456789abcdefghijklmnop',
  loginAttemptsPerWindow: 0,
  customerRequestsPerToken: 0,
};
let stack: TestStack;
let server: Server;
let api: string;
let apiKey: string;

beforeAll(async () => {
  stack = await startTestStack({ auth: authOptions });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  apiKey = await issueApiKey(users, { name: 'probe admin', roles: ['admin'], createdBy: 'test' });
  server = stack.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.stop();
});

it('finds no hole on the stack (small run): every category attempted and held', async () => {
  const { tally } = await runProbe({ api, admin: { apiKey }, small: true });
  const lines = tally.lines();
  expect({ holes: tally.holes.length, lines }).toEqual({ holes: 0, lines });
  const categories = [...tally.categories.keys()];
  for (const category of [
    'access',
    'cross-token',
    'csrf',
    'body:oversized',
    'body:deep',
    'body:zero-width',
    'body:lone-surrogate',
    'body:wrong-type',
    'case:takeover',
    'case:as-customer',
    'case:zero-width',
    'case:built-in',
  ])
    expect({ category, attempted: categories.includes(category) }).toEqual({ category, attempted: true });
  expect(tally.attempts).toBeGreaterThan(100);
});

it('reports a hole when the declared access matrix says a route is closed but it answers', async () => {
  const { tally } = await runProbe({
    api,
    admin: { apiKey },
    only: (route) => route.path === '/api/health',
    document: (doc) => {
      const health = doc.paths['/api/health']?.get;
      if (!health) throw new Error('the document has no GET /api/health');
      health['x-baton-audience'] = ['admin'];
    },
  });
  const holes = tally.holes.map((hole) => `${hole.category} ${hole.method} ${hole.path} ${hole.role} ${hole.status}`);
  expect(holes).toEqual(
    expect.arrayContaining([
      'access get /api/health no credentials 200',
      'access get /api/health customer of A 200',
      'access get /api/health agent (session) 200',
    ]),
  );
  expect(tally.lines().some((line) => line.startsWith('HOLE access: GET /api/health as no credentials: got 200'))).toBe(
    true,
  );
});

it('reports holes when the stack really lets anonymous callers in (a proxy adding the admin key to them)', async () => {
  const target = new URL(api);
  const proxy = createServer((req, res) => {
    const headers = { ...req.headers };
    if (!headers.authorization && !headers.cookie) headers.authorization = `Bearer ${apiKey}`;
    const upstream = forward(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  proxy.listen(0, '127.0.0.1');
  await new Promise((resolve) => proxy.once('listening', resolve));
  try {
    const { tally } = await runProbe({
      api: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      admin: { apiKey },
      only: (route) => route.path === '/api/admin/users' || route.path === '/api/journeys',
    });
    const anonymous = tally.holes.filter((hole) => hole.category === 'access' && hole.role === 'no credentials');
    expect(anonymous.map((hole) => `${hole.method} ${hole.path}`).sort()).toEqual([
      'get /api/admin/users',
      'get /api/journeys',
      'post /api/admin/users',
      'post /api/journeys',
    ]);
  } finally {
    await new Promise((resolve) => proxy.close(resolve));
  }
});
