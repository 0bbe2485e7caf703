/**
 * Security headers, CORS, customer rate limits, readiness, the audit log, and the redaction of personal data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../src/api';
import { createLogger, redact } from '../src/api/middleware/logger';
import { securityOptionsFromEnv } from '../src/api/middleware/security';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const appWith = (security: Parameters<typeof createApp>[0]['security']) =>
  createApp({
    store: stack.store,
    conversations: stack.conversations,
    catalog: () => stack.store.listActivities(),
    log: () => undefined,
    logger: createLogger({ level: 'silent' }),
    auth: false,
    ...(security !== undefined && { security }),
  });

describe('security headers and CORS', () => {
  it('sets helmet headers with a CSP that allows the app its own scripts, styles and API', async () => {
    const res = await request(appWith({})).get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers no CORS headers by default', async () => {
    const res = await request(appWith({})).get('/api/journeys').set('origin', 'https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(appWith({}))
      .options('/api/journeys')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows a configured origin and only that one', async () => {
    const app = appWith(
      securityOptionsFromEnv({ BATON_CORS_ORIGINS: 'https://support.example.com, https://ops.example.com' }),
    );
    const ok = await request(app).get('/api/journeys').set('origin', 'https://ops.example.com').expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://ops.example.com');
    const preflight = await request(app)
      .options('/api/conversations')
      .set('origin', 'https://support.example.com')
      .set('access-control-request-method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://support.example.com');
    const other = await request(app).get('/api/journeys').set('origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reads its defaults from the environment', () => {
    expect(securityOptionsFromEnv({})).toEqual({ corsOrigins: [], rateLimitPerMinute: 120 });
    expect(securityOptionsFromEnv({ BATON_RATE_LIMIT_PER_MINUTE: '7' }).rateLimitPerMinute).toBe(7);
    expect(securityOptionsFromEnv({ BATON_RATE_LIMIT_PER_MINUTE: 'lots' }).rateLimitPerMinute).toBe(120);
  });
});

describe('customer rate limits', () => {
  it('answers 429 problem+json with Retry-After past the limit, per route family, and leaves other routes alone', async () => {
    const app = appWith({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i += 1) {
      const res = await request(app).post('/api/conversations/conv-none/messages').send({});
      expect(res.status).toBe(400);
    }
    const limited = await request(app).post('/api/conversations/conv-none/messages').send({});
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, title: 'Too many requests' });
    // The same address on the other customer routes shares the count; designer routes are not limited.
    expect((await request(app).post('/api/conversations').send({})).status).toBe(429);
    expect((await request(app).post('/api/conversations/x/survey').send({})).status).toBe(429);
    expect((await request(app).get('/api/journeys')).status).toBe(200);
  });

  it('can be turned off', async () => {
    const app = appWith({ rateLimitPerMinute: 0 });
    for (let i = 0; i < 5; i += 1) expect((await request(app).post('/api/conversations').send({})).status).toBe(400);
  });
});

describe('readiness', () => {
  it('answers 200 on the real stack, 503 problem+json when a check fails', async () => {
    const ready = await request(appWith({})).get('/api/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { mongodb: { ok: true }, temporal: { ok: true } } });
    const failing = createApp({
      auth: false,
      store: stack.store,
      conversations: stack.conversations,
      catalog: () => [],
      logger: createLogger({ level: 'silent' }),
      ready: async () => ({ mongodb: { ok: true }, temporal: { ok: false, detail: 'UNAVAILABLE' } }),
    });
    const res = await request(failing).get('/api/ready').expect(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toContain('temporal: UNAVAILABLE');
  });
});

describe('redact()', () => {
  it.each([
    ['write to ana.lopez+support@example.co.uk please', 'write to [email] please'],
    ['card 4111 1111 1111 1111 expired', 'card [card] expired'],
    ['card 4111-1111-1111-1111', 'card [card]'],
    ['amex 378282246310005', 'amex [card]'],
    ['19 digits 6011000990139424123', '19 digits [card]'],
    ['call me on +44 20 7946 0958 tonight', 'call me on [phone] tonight'],
    ['or (555) 123-4567', 'or [phone]'],
    ['or 555.123.4567', 'or [phone]'],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('leaves ordinary text, short numbers and ids alone', () => {
    for (const text of ['order 12345 is late', 'I tried 3 times', 'conv-2f1c', 'version 12', ''])
      expect(redact(text)).toBe(text);
    // Conversation ids (UUIDs) in paths and log fields: their digit runs are not phone numbers.
    for (const id of [
      'conv-e10584d8-e367-4178-b060-faa4f97e6a30',
      '/api/conversations/conv-12345678-1234-4234-8234-123456789012/messages',
    ])
      expect(redact(id)).toBe(id);
  });
});

describe('logs', () => {
  it('carry the request id and conversation id, never the message text or secrets', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = createApp({
      store: stack.store,
      conversations: stack.conversations,
      catalog: () => [],
      security: false,
      auth: false,
      logger: createLogger({ level: 'info', destination: sink }),
    });
    await request(app)
      .post('/api/conversations/conv-log-1/messages?email=ana@example.com')
      .set('authorization', 'Bearer secret-token')
      .set('x-request-id', 'req-123')
      .send({ clientMessageId: 'm1', text: 'my card is 4111 1111 1111 1111, mail ana@example.com' });
    const all = lines.join('');
    const entry = JSON.parse(lines.find((line) => line.includes('req-123')) ?? '{}') as Record<string, unknown>;
    expect(entry).toMatchObject({
      requestId: 'req-123',
      conversationId: 'conv-log-1',
      method: 'POST',
      path: '/api/conversations/conv-log-1/messages',
    });
    expect(all).not.toContain('4111');
    expect(all).not.toContain('ana@example.com');
    expect(all).not.toContain('secret-token');
  });
});

describe('audit log', () => {
  it('records publishes, alias moves and rollbacks, newest first', async () => {
    const journey = JSON.parse(
      readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
    ) as Record<string, unknown>;
    const app = appWith(false);
    await request(app).post('/api/journeys').send(journey).expect(201);
    await request(app)
      .post('/api/journeys/password-reset/publish')
      .set('x-request-id', 'req-pub')
      .send({ author: 'dana' })
      .expect(201);
    await request(app).post('/api/journeys/password-reset/publish').send({}).expect(200);
    await request(app)
      .put('/api/journeys/password-reset')
      .send({ ...journey, name: 'Password reset, take two' })
      .expect(200);
    await request(app).post('/api/journeys/password-reset/publish').send({ author: 'dana' }).expect(201);
    await request(app)
      .put('/api/journeys/password-reset/aliases/beta')
      .send({ version: 1, author: 'dana' })
      .expect(201);
    await request(app).put('/api/journeys/password-reset/aliases/beta').send({ version: 2, author: 'lee' }).expect(200);
    await request(app).post('/api/journeys/password-reset/aliases/beta/rollback').send({ author: 'lee' }).expect(200);
    const res = await request(app).get('/api/audit?limit=10').expect(200);
    const entries = res.body.entries as Array<Record<string, unknown>>;
    expect(entries.map((entry) => entry.action)).toEqual([
      'alias.rollback',
      'alias.set',
      'alias.set',
      'publish',
      'publish',
      'publish',
    ]);
    expect(entries[5]).toMatchObject({
      action: 'publish',
      journeyId: 'password-reset',
      version: 1,
      actor: 'dana',
      requestId: 'req-pub',
      details: { created: true },
    });
    expect(entries[4]).toMatchObject({ action: 'publish', version: 1, details: { created: false } });
    expect(entries[3]).toMatchObject({ action: 'publish', version: 2, details: { created: true } });
    expect(entries[2]).toMatchObject({ alias: 'beta', versions: [1], actor: 'dana' });
    expect(entries[1]).toMatchObject({ alias: 'beta', versions: [2], actor: 'lee' });
    expect(entries[0]).toMatchObject({ action: 'alias.rollback', alias: 'beta', versions: [1], actor: 'lee' });
    const applied = await request(app)
      .post('/api/journeys/password-reset/migrations')
      .send({ from: 1, to: 2, dryRun: false, author: 'kim' })
      .expect(200);
    const [migration] = (await request(app).get('/api/audit?limit=1').expect(200)).body.entries as Array<
      Record<string, unknown>
    >;
    expect(migration).toMatchObject({
      action: 'migration.apply',
      journeyId: 'password-reset',
      versions: [1, 2],
      actor: 'kim',
      details: { migrationId: applied.body.migrationId, moved: 0 },
    });
    expect((await request(app).get('/api/audit?limit=1').expect(200)).body.entries).toHaveLength(1);
    expect((await request(app).get('/api/audit?limit=0')).status).toBe(400);
  });
});
