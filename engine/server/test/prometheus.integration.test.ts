/**
 * GET /metrics after a real conversation (real Temporal worker, real Mongo-wire store): the
 * request counters, the reply latency histogram, conversations by state and handoffs, and who may scrape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../src/api';
import { authStoreOf, issueApiKey } from '../src/api/auth';
import { compileJourney } from '@baton/core/compiler';
import type { Store } from '@baton/store';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  const source = JSON.parse(
    readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
  ) as Parameters<Store['publishVersion']>[0]['source'];
  const compiled = compileJourney(source, {
    activities: new Map((await stack.store.listActivities()).map((a) => [a.name, a])),
  });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
  await stack.store.publishVersion({ journeyId: 'password-reset', source, compiled: compiled.journey });
});

afterAll(async () => {
  await stack?.stop();
});

/** The value of one sample line, e.g. `baton_handoffs{status="pending"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it('counts requests, times replies and reads conversations by state and handoffs from the store', async () => {
  const started = await request(stack.app)
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', customer: { id: 'c1', name: 'Ada', email: 'ada@example.com' } })
    .expect(201);
  const id = started.body.conversationId as string;
  await request(stack.app)
    .post(`/api/conversations/${id}/messages`)
    .send({ clientMessageId: 'm1', text: 'I forgot my password' })
    .expect(201);
  await request(stack.app)
    .post(`/api/conversations/${id}/messages`)
    .send({ clientMessageId: 'm2', text: "No, it didn't work. This is ridiculous, I've tried everything" })
    .expect(201);
  await request(stack.app).get(`/api/conversations/${id}`).expect(200);
  await request(stack.app).get('/api/no-such-route').expect(404);

  // The projection is written after the answer; scrape until it shows the handoff (no timing assumed).
  let text = '';
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const res = await request(stack.app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    text = res.text;
    if (
      sample(text, 'baton_handoffs{status="pending"}') === 1 &&
      /^baton_conversations\{state="[a-z_]+"\} 1$/m.test(text)
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(sample(text, 'baton_handoffs{status="pending"}')).toBe(1);
  expect(text).toMatch(/^baton_conversations\{state="[a-z_]+"\} 1$/m);
  expect(sample(text, 'baton_http_requests_total{method="POST",route="/api/conversations",status="201"}')).toBe(1);
  expect(
    sample(text, 'baton_http_requests_total{method="POST",route="/api/conversations/:id/messages",status="201"}'),
  ).toBe(2);
  expect(sample(text, 'baton_http_requests_total{method="GET",route="/api/conversations/:id",status="200"}')).toBe(1);
  expect(sample(text, 'baton_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
  expect(sample(text, 'baton_reply_latency_seconds_count')).toBe(2);
  expect(sample(text, 'baton_reply_latency_seconds_bucket{le="+Inf"}')).toBe(2);
  // Ids never become labels: one series per route, whatever the conversation.
  expect(text).not.toContain(id);
  expect(text).toMatch(/^baton_api_process_resident_memory_bytes \d+/m);
});

it('is for admins (Prometheus sends a bearer API key) unless BATON_METRICS_PUBLIC=1', async () => {
  const auth = {
    tokenSecret: 'prometheus-test-secret-0123456789abcdefghij',
    loginAttemptsPerWindow: 0,
    customerRequestsPerToken: 0,
  };
  const guarded = createApp({
    store: stack.store,
    conversations: stack.conversations,
    catalog: () => [],
    log: () => undefined,
    auth,
  });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  const adminKey = await issueApiKey(users, { name: 'prometheus', roles: ['admin'], createdBy: 'test' });
  const agentKey = await issueApiKey(users, { name: 'agent script', roles: ['agent'], createdBy: 'test' });
  const anonymous = await request(guarded).get('/metrics').expect(401);
  expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
  await request(guarded).get('/metrics').set('authorization', `Bearer ${agentKey}`).expect(403);
  const scraped = await request(guarded).get('/metrics').set('authorization', `Bearer ${adminKey}`).expect(200);
  expect(scraped.text).toContain('# TYPE baton_conversations gauge');

  process.env.BATON_METRICS_PUBLIC = '1';
  try {
    const open = createApp({
      store: stack.store,
      conversations: stack.conversations,
      catalog: () => [],
      log: () => undefined,
      auth,
    });
    await request(open).get('/metrics').expect(200);
  } finally {
    delete process.env.BATON_METRICS_PUBLIC;
  }
});
