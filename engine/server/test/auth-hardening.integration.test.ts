/**
 * Passwords are refused when guessable (not only when short) at user creation, password change and the
 * first admin from the environment; OIDC needs its redirect URI configured (never the Host header).
 */
import request from 'supertest';
import { createApp } from '../src/api';
import {
  authStoreOf,
  ensureFirstAdmin,
  firstAdminFromEnv,
  issueApiKey,
  oidcConfigFromEnv,
  type OidcConfig,
} from '../src/api/auth';
import { createLogger } from '../src/api/middleware/logger';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(60_000);

const secret = 'auth-hardening-secret-0123456789abcdefghijklmno';
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ worker: false, auth: { tokenSecret: secret } });
  await authStoreOf(stack.store.collection('users').db).ensureIndexes();
});
afterAll(async () => {
  await stack?.stop();
});

const commonPasswords = ['password1234', 'qwertyuiop123', 'aaaaaaaaaaaaaaaa', '123456789012'];

describe('guessable passwords', () => {
  let adminKey: string;
  beforeAll(async () => {
    adminKey = await issueApiKey(authStoreOf(stack.store.collection('users').db), {
      name: 'hardening admin',
      roles: ['admin'],
      createdBy: 'test',
    });
  });
  const asAdmin = (test: request.Test) => test.set('authorization', `Bearer ${adminKey}`);

  it.each(commonPasswords)('refuses to create a user with %s: 400 naming /password', async (password) => {
    const res = await asAdmin(request(stack.app).post('/api/admin/users'))
      .send({ email: 'weak@example.com', password, roles: ['agent'] })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: '/password', message: expect.stringMatching(/too easy to guess/) }),
    ]);
  });

  it('accepts a passphrase, and refuses to change it to a common password', async () => {
    const created = await asAdmin(request(stack.app).post('/api/admin/users'))
      .send({ email: 'strong@example.com', password: 'violet tractor seldom harbour', roles: ['agent'] })
      .expect(201);
    const res = await asAdmin(request(stack.app).patch(`/api/admin/users/${created.body.user.userId}`))
      .send({ password: 'password1234' })
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/password' })]);
    await request(stack.app)
      .post('/api/auth/login')
      .send({ email: 'strong@example.com', password: 'violet tractor seldom harbour' })
      .expect(200);
  });

  it('refuses a common BATON_ADMIN_PASSWORD at startup, and the generated first-admin password passes', async () => {
    const { connectStore } = await import('@baton/store');
    const { requireServers, uniqueDbName } = await import('@baton/test-support/servers');
    const store = await connectStore(requireServers().mongoUri, uniqueDbName('weakadmin'));
    try {
      const users = authStoreOf(store.collection('users').db);
      await expect(
        firstAdminFromEnv(users, { BATON_ADMIN_EMAIL: 'ops@example.com', BATON_ADMIN_PASSWORD: 'password1234' }),
      ).rejects.toThrow(/BATON_ADMIN_PASSWORD is too easy to guess/);
      expect(await users.countUsers()).toBe(0);
      const generated = await ensureFirstAdmin(users);
      expect(generated?.user.roles).toEqual(['admin']);
    } finally {
      await store.collection('users').db.dropDatabase();
      await store.close();
    }
  });
});

describe('OIDC redirect URI', () => {
  const env = {
    BATON_OIDC_ISSUER: 'https://id.example.com',
    BATON_OIDC_CLIENT_ID: 'baton',
    BATON_OIDC_CLIENT_SECRET: 's3cret',
  };

  it('is required from the environment: OIDC is refused at start without it', () => {
    expect(() => oidcConfigFromEnv(env)).toThrow(/missing: BATON_OIDC_REDIRECT_URI/);
    expect(() => oidcConfigFromEnv({ ...env, BATON_OIDC_REDIRECT_URI: 'callback' })).toThrow(/must be a URL/);
  });

  it('is required by createApp too (never built from the Host header)', () => {
    const oidc = { issuer: env.BATON_OIDC_ISSUER, clientId: 'baton', clientSecret: 's3cret' } as OidcConfig;
    expect(() =>
      createApp({
        store: stack.store,
        conversations: stack.conversations,
        catalog: () => [],
        log: () => undefined,
        logger: createLogger({ level: 'silent' }),
        security: false,
        auth: { tokenSecret: secret, oidc },
      }),
    ).toThrow(/BATON_OIDC_REDIRECT_URI/);
  });
});
