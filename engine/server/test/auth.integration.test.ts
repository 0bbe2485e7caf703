/**
 * Access control beyond the route table: configuration, rate limits on sign-in and per customer
 * token, and OIDC sign-in. No real identity provider is reachable here: OIDC runs against a small
 * local IdP served by this test (discovery document, authorization code, token endpoint checking
 * PKCE, an ID token whose signature openid-client does not check because it comes straight from
 * the token endpoint). That proves our side of the flow, not interoperability with a given IdP.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runInThisContext } from 'node:vm';
import express from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { createApp } from '../src/api';
import {
  authOptionsFromEnv,
  authStoreOf,
  conversationTokenFor,
  createUserWithPassword,
  firstAdminFromEnv,
  oidcConfigFromEnv,
  type AuthOptions,
} from '../src/api/auth';
import { serverAuthOptions } from '../src/api/runtime';
import { createLogger } from '../src/api/middleware/logger';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(60_000);

/**
 * The real openid-client, loaded by Node itself: it is an ES module, which Jest's module system
 * cannot require (Node ≥ 20.19 can, and the server does). Taken from the host realm, outside Jest's sandbox.
 */
const openIdClient = (runInThisContext('process') as NodeJS.Process)
  .getBuiltinModule('node:module')
  .createRequire(__filename)('openid-client') as typeof import('openid-client');

const secret = 'auth-test-secret-0123456789abcdefghijklmnopqrstu';
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ worker: false, auth: { tokenSecret: secret } });
  await authStoreOf(stack.store.collection('users').db).ensureIndexes();
});
afterAll(async () => {
  await stack?.stop();
});

const appWith = (auth: AuthOptions | false) =>
  createApp({
    store: stack.store,
    conversations: stack.conversations,
    catalog: () => [],
    log: () => undefined,
    logger: createLogger({ level: 'silent' }),
    security: false,
    auth,
  });

describe('configuration', () => {
  it('refuses auth: false in production', () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => appWith(false)).toThrow(/refused when NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = before;
    }
  });

  it('needs BATON_TOKEN_SECRET to listen beyond this machine, and a long enough one', () => {
    expect(() => serverAuthOptions('0.0.0.0', {})).toThrow(/BATON_TOKEN_SECRET is not set/);
    expect(serverAuthOptions('0.0.0.0', { BATON_TOKEN_SECRET: secret }).tokenSecret).toBe(secret);
    expect(serverAuthOptions('127.0.0.1', {}).tokenSecret.length).toBeGreaterThanOrEqual(32);
    expect(() => authOptionsFromEnv({ BATON_TOKEN_SECRET: 'short' })).toThrow(/at least 32 characters/);
    expect(() => authOptionsFromEnv({ BATON_LOGIN_RATE_LIMIT: 'many' })).toThrow(/BATON_LOGIN_RATE_LIMIT/);
  });

  it('creates a server’s first admin from BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD, only when there is no user', async () => {
    const { connectStore } = await import('@baton/store');
    const { requireServers, uniqueDbName } = await import('@baton/test-support/servers');
    const store = await connectStore(requireServers().mongoUri, uniqueDbName('firstadmin'));
    try {
      const users = authStoreOf(store.collection('users').db);
      await expect(firstAdminFromEnv(users, { BATON_ADMIN_EMAIL: 'ops@example.com' })).rejects.toThrow(
        /both BATON_ADMIN_EMAIL and BATON_ADMIN_PASSWORD/,
      );
      await expect(
        firstAdminFromEnv(users, { BATON_ADMIN_EMAIL: 'ops@example.com', BATON_ADMIN_PASSWORD: 'short' }),
      ).rejects.toThrow(/at least 12/);
      expect(await firstAdminFromEnv(users, {})).toBeUndefined();
      expect(
        await firstAdminFromEnv(users, {
          BATON_ADMIN_EMAIL: 'Ops@Example.com',
          BATON_ADMIN_PASSWORD: 'a long admin password',
        }),
      ).toBe('ops@example.com');
      expect(
        await firstAdminFromEnv(users, {
          BATON_ADMIN_EMAIL: 'other@example.com',
          BATON_ADMIN_PASSWORD: 'a long admin password',
        }),
      ).toBeUndefined();
      expect((await users.listUsers()).map((user) => [user.email, user.roles])).toEqual([
        ['ops@example.com', ['admin']],
      ]);
      const app = createApp({
        store,
        conversations: stack.conversations,
        catalog: () => [],
        log: () => undefined,
        logger: createLogger({ level: 'silent' }),
        security: false,
        auth: { tokenSecret: secret },
      });
      const signedIn = await request(app)
        .post('/api/auth/login')
        .send({ email: 'ops@example.com', password: 'a long admin password' })
        .expect(200);
      expect(signedIn.body.user.roles).toEqual(['admin']);
    } finally {
      await store.collection('users').db.dropDatabase();
      await store.close();
    }
  });

  it('validates the OIDC settings', () => {
    expect(oidcConfigFromEnv({})).toBeUndefined();
    expect(() => oidcConfigFromEnv({ BATON_OIDC_ISSUER: 'https://id.example.com' })).toThrow(
      /missing: BATON_OIDC_CLIENT_ID, BATON_OIDC_CLIENT_SECRET, BATON_OIDC_REDIRECT_URI/,
    );
    const full = {
      BATON_OIDC_ISSUER: 'https://id.example.com',
      BATON_OIDC_CLIENT_ID: 'baton',
      BATON_OIDC_CLIENT_SECRET: 's3cret',
      BATON_OIDC_REDIRECT_URI: 'https://support.example.com/api/auth/oidc/callback',
    };
    expect(oidcConfigFromEnv(full)).toEqual({
      issuer: 'https://id.example.com',
      clientId: 'baton',
      clientSecret: 's3cret',
      redirectUri: 'https://support.example.com/api/auth/oidc/callback',
    });
    expect(() => oidcConfigFromEnv({ ...full, BATON_OIDC_ISSUER: 'not a url' })).toThrow(/must be a URL/);
    expect(() => oidcConfigFromEnv({ ...full, BATON_OIDC_ISSUER: 'http://id.example.com' })).toThrow(/must use https/);
    expect(
      oidcConfigFromEnv({ ...full, BATON_OIDC_ISSUER: 'http://127.0.0.1:9', BATON_OIDC_ALLOW_HTTP: '1' })
        ?.allowInsecureIssuer,
    ).toBe(true);
  });

  it('the OIDC routes answer 404 when OIDC is not configured', async () => {
    const res = await request(stack.app).get('/api/auth/oidc/start').expect(404);
    expect(res.body.detail).toMatch(/BATON_OIDC_ISSUER/);
    // The sign-in page asks first, and offers no single sign-on that would answer this 404.
    const methods = await request(stack.app).get('/api/auth/methods').expect(200);
    expect(methods.body).toEqual({ password: true, sso: false });
  });
});

describe('rate limits', () => {
  it('limits sign-in attempts per address', async () => {
    const app = appWith({ tokenSecret: secret, loginAttemptsPerWindow: 3 });
    for (let attempt = 0; attempt < 3; attempt++)
      await request(app).post('/api/auth/login').send({ email: 'nobody@example.com', password: 'x' }).expect(401);
    const limited = await request(app)
      .post('/api/auth/login')
      .send({ email: 'nobody@example.com', password: 'x' })
      .expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('limits requests per conversation token, each token on its own', async () => {
    const options: AuthOptions = { tokenSecret: secret, customerRequestsPerToken: 2 };
    const app = appWith(options);
    const a = conversationTokenFor('conv-limit-a', options);
    const b = conversationTokenFor('conv-limit-b', options);
    // The conversations do not exist (404): the limit counts requests all the same.
    for (let i = 0; i < 2; i++)
      await request(app).get('/api/conversations/conv-limit-a').set('authorization', `Bearer ${a}`).expect(404);
    await request(app).get('/api/conversations/conv-limit-a').set('authorization', `Bearer ${a}`).expect(429);
    await request(app).get('/api/conversations/conv-limit-b').set('authorization', `Bearer ${b}`).expect(404);
  });
});

/** A minimal OIDC provider: discovery, an authorization endpoint that signs in one user, a token endpoint that checks PKCE and the client's secret. */
function startTestIdp(): Promise<{ issuer: string; server: Server; email: string }> {
  const idp = express();
  const email = `oidc-${randomUUID().slice(0, 8)}@example.com`;
  const codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();
  let issuer = '';
  idp.use(express.urlencoded({ extended: false }));
  idp.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });
  idp.get('/authorize', (req, res) => {
    const query = req.query as Record<string, string>;
    const code = randomUUID();
    codes.set(code, {
      challenge: query.code_challenge ?? '',
      redirectUri: query.redirect_uri ?? '',
      clientId: query.client_id ?? '',
    });
    res.redirect(
      302,
      `${query.redirect_uri}?code=${code}&state=${encodeURIComponent(query.state ?? '')}&iss=${encodeURIComponent(issuer)}`,
    );
  });
  idp.post('/token', (req, res) => {
    const body = req.body as Record<string, string>;
    const grant = codes.get(body.code ?? '');
    const basic = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
    const verifierMatches =
      grant &&
      createHash('sha256')
        .update(body.code_verifier ?? '')
        .digest('base64url') === grant.challenge;
    if (
      !grant ||
      !verifierMatches ||
      grant.redirectUri !== body.redirect_uri ||
      (basic !== 'baton:idp-secret' && `${body.client_id}:${body.client_secret}` !== 'baton:idp-secret')
    )
      return void res.status(400).json({ error: 'invalid_grant' });
    codes.delete(body.code ?? '');
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const idToken = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: issuer, aud: grant.clientId, sub: 'idp-user-1', email, email_verified: true, name: 'Olivia', iat: now, exp: now + 300 })}.c2lnbmF0dXJl`;
    res.json({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken });
  });
  return new Promise((resolve) => {
    const server = createServer(idp).listen(0, '127.0.0.1', () => {
      issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ issuer, server, email });
    });
  });
}

describe('OIDC sign-in against a local test IdP', () => {
  let idp: { issuer: string; server: Server; email: string };
  let app: express.Express;
  beforeAll(async () => {
    idp = await startTestIdp();
    app = appWith({
      tokenSecret: secret,
      oidc: {
        issuer: idp.issuer,
        clientId: 'baton',
        clientSecret: 'idp-secret',
        redirectUri: 'http://baton.test/api/auth/oidc/callback',
        allowInsecureIssuer: true,
        library: openIdClient,
      },
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => idp.server.close(() => resolve()));
  });

  it('start redirects to the IdP with PKCE (S256) and state, keeping them in a signed http-only cookie', async () => {
    expect((await request(app).get('/api/auth/methods').expect(200)).body).toEqual({ password: true, sso: true });
    const res = await request(app).get('/api/auth/oidc/start').expect(302);
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${idp.issuer}/authorize`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: 'baton',
      response_type: 'code',
      redirect_uri: 'http://baton.test/api/auth/oidc/callback',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      state: expect.any(String),
    });
    expect(String(res.headers['set-cookie'])).toMatch(
      /baton_oidc=[^;]+; Path=\/api\/auth\/oidc; Max-Age=600; HttpOnly; SameSite=Lax/,
    );
  });

  it('the callback signs in a user the IdP knows: unknown to Baton, the account has no roles until an admin grants some', async () => {
    const start = await request(app).get('/api/auth/oidc/start').expect(302);
    const flowCookie = String(start.headers['set-cookie']).split(';')[0] as string;
    // The browser follows the redirect to the IdP, which sends it back with a code.
    const atIdp = await fetch(start.headers.location as string, { redirect: 'manual' });
    const back = new URL(atIdp.headers.get('location') as string);
    const callback = await request(app)
      .get(`${back.pathname}${back.search}`)
      .set('host', 'baton.test')
      .set('cookie', flowCookie);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/');
    const session = (callback.headers['set-cookie'] as unknown as string[])
      .find((cookie) => cookie.startsWith('baton_session='))
      ?.split(';')[0] as string;
    const me = await request(app).get('/api/auth/me').set('cookie', session).expect(200);
    expect(me.body.user).toMatchObject({ email: idp.email, roles: [], oidcSubject: 'idp-user-1' });
    await request(app).get('/api/journeys').set('cookie', session).expect(403);
    // The same code cannot be used twice, and a callback without the flow cookie is refused.
    await request(app)
      .get(`${back.pathname}${back.search}`)
      .set('host', 'baton.test')
      .set('cookie', flowCookie)
      .expect(401);
    await request(app).get(`${back.pathname}${back.search}`).set('host', 'baton.test').expect(400);
  });

  it('an existing user is matched by email and keeps their roles', async () => {
    const users = authStoreOf(stack.store.collection('users').db);
    const email = `known-${randomUUID().slice(0, 8)}@example.com`;
    await createUserWithPassword(users, { email, password: 'a long enough password', roles: ['designer'] });
    const local = await startTestIdp();
    const known = appWith({
      tokenSecret: secret,
      oidc: {
        issuer: local.issuer,
        clientId: 'baton',
        clientSecret: 'idp-secret',
        redirectUri: 'http://baton.test/api/auth/oidc/callback',
        allowInsecureIssuer: true,
        library: openIdClient,
      },
    });
    try {
      // The test IdP signs in its own generated user: make that user the known one.
      await users.createUser({ email: local.email, roles: ['designer'] });
      const start = await request(known).get('/api/auth/oidc/start').expect(302);
      const flowCookie = String(start.headers['set-cookie']).split(';')[0] as string;
      const back = new URL(
        (await fetch(start.headers.location as string, { redirect: 'manual' })).headers.get('location') as string,
      );
      const callback = await request(known)
        .get(`${back.pathname}${back.search}`)
        .set('host', 'baton.test')
        .set('cookie', flowCookie)
        .expect(302);
      const session = (callback.headers['set-cookie'] as unknown as string[])
        .find((cookie) => cookie.startsWith('baton_session='))
        ?.split(';')[0] as string;
      await request(known).get('/api/journeys').set('cookie', session).expect(200);
    } finally {
      await new Promise<void>((resolve) => local.server.close(() => resolve()));
    }
  });
});

describe('generated bodies and credentials on the auth routes', () => {
  // A fixed seed keeps CI reproducible; BATON_PROPERTY_SEED=random explores.
  const seed =
    process.env.BATON_PROPERTY_SEED === 'random' ? undefined : Number(process.env.BATON_PROPERTY_SEED ?? '20261125');
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
    fc.constantFrom('admin', 'designer', 'agent', 'boss', 'a@b.co', '__proto__'),
  );
  const body = fc.dictionary(
    fc.constantFrom('email', 'password', 'roles', 'name', 'disabled', '__proto__', 'constructor', 'x'),
    value,
    { maxKeys: 5 },
  );
  const credential = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 60 }).map((text) => `Bearer ${text}`),
    fc.string({ maxLength: 40 }).map((text) => `Bearer bk_${text}`),
    fc.string({ maxLength: 40 }).map((text) => `Bearer ${text}.${text}`),
    fc.string({ maxLength: 20 }),
  );

  it('never answer 5xx, and every error is problem+json', async () => {
    const users = authStoreOf(stack.store.collection('users').db);
    const adminEmail = `fuzz-admin-${randomUUID().slice(0, 8)}@example.com`;
    await createUserWithPassword(users, { email: adminEmail, password: 'fuzz admin password', roles: ['admin'] });
    const login = await request(stack.app)
      .post('/api/auth/login')
      .send({ email: adminEmail, password: 'fuzz admin password' })
      .expect(200);
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0] as string;
    const routes: [string, string][] = [
      ['POST', '/api/auth/login'],
      ['POST', '/api/admin/users'],
      ['PATCH', '/api/admin/users/no-such-user'],
      ['POST', '/api/admin/api-keys'],
      ['GET', '/api/conversations/conv-x'],
      ['POST', '/api/auth/logout'],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        body,
        credential,
        fc.boolean(),
        async ([method, path], sent, authorization, asAdmin) => {
          let test =
            method === 'POST'
              ? request(stack.app).post(path)
              : method === 'PATCH'
                ? request(stack.app).patch(path)
                : request(stack.app).get(path);
          if (asAdmin && path !== '/api/auth/logout')
            test = test.set('cookie', cookie).set('x-csrf-token', login.body.csrfToken as string);
          if (authorization !== undefined) test = test.set('authorization', authorization);
          const res = method === 'GET' ? await test : await test.send(sent);
          if (res.status >= 500)
            throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
          if (res.status >= 400 && !String(res.headers['content-type']).includes('application/problem+json'))
            throw new Error(`${method} ${path} ${res.status} is not problem+json`);
        },
      ),
      { numRuns: 300, ...(seed !== undefined && { seed }) },
    );
  });
});
