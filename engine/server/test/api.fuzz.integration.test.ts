/**
 * Fuzzing the HTTP API: fast-check throws generated bodies, queries and path parameters at every route
 * of the in-process app on the real stack (Temporal dev server and the Mongo-wire server). Bad input
 * must never answer 5xx, and every 4xx is problem+json. A fixed seed keeps CI reproducible;
 * BATON_PROPERTY_SEED=random explores, BATON_FUZZ_RUNS scales the runs per route.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { createApp } from '../src/api';
import { createLogger } from '../src/api/middleware/logger';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const seedSetting = process.env.BATON_PROPERTY_SEED ?? '20261125';
if (seedSetting !== 'random') fc.configureGlobal({ seed: Number(seedSetting) });
const runs = Number(process.env.BATON_FUZZ_RUNS ?? 120);

const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as Record<string, unknown>;
const known = 'password-reset';
/** A second journey the write routes may change at will (drafts, publishes, aliases, migrations). */
const target = 'fuzz-target';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
const unhandled: unknown[] = [];
beforeAll(async () => {
  // The worker registers the activity catalog (publishing needs it); no generated body starts a conversation on a published journey.
  stack = await startTestStack();
  app = createApp({
    store: stack.store,
    conversations: stack.conversations,
    catalog: () => stack.store.listActivities(),
    log: (_message, error) => unhandled.push(error),
    logger: createLogger({ level: 'silent' }),
    security: false,
    // Bad input, not access, is under test here (engine/server/test/access.integration.test.ts covers access).
    auth: false,
  });
  await request(app).post('/api/journeys').send(journey).expect(201);
  await request(app).post(`/api/journeys/${known}/publish`).send({}).expect(201);
  await request(app).put(`/api/journeys/${known}/aliases/beta`).send({ version: 1 }).expect(201);
  await request(app)
    .post('/api/journeys')
    .send({ ...journey, id: target })
    .expect(201);
  await request(app).post(`/api/journeys/${target}/publish`).send({}).expect(201);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

// ---- generators ---------------------------------------------------------------------------------

const pollutionKeys = [
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$set',
  'a.b',
  '.',
  '$',
  'toString',
  'hasOwnProperty',
  '',
];
const key = fc.oneof(fc.constantFrom(...pollutionKeys), fc.string({ maxLength: 12 }));
const hugeString = fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'x'.repeat(n));
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(-1, 0, 1, 2, 1e308, -0, 2 ** 53),
);

/** JSON values with hostile keys, built as text so `__proto__` stays an own key as on the wire. */
const { json } = fc.letrec<{ json: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((v) => JSON.stringify(v)),
    fc.array(tie('json'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(key, tie('json')), { maxLength: 6 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
}));

const deep = fc
  .tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );

/** A valid-looking body with one field replaced by something hostile. */
function mutated(base: Record<string, unknown>): fc.Arbitrary<string> {
  const fields = [...Object.keys(base), '__proto__', 'constructor', '$set', 'a.b'];
  return fc.tuple(fc.constantFrom(...fields), json, fc.boolean()).map(([field, value, drop]) => {
    const entries = Object.entries(base)
      .filter(([k]) => k !== field)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    if (!drop) entries.push(`${JSON.stringify(field)}:${value}`);
    return `{${entries.join(',')}}`;
  });
}

const raw = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    'null',
    '"text"',
    '[]',
    '{}',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    'NaN',
    '1e999',
  ),
  fc.string({ maxLength: 50 }),
);

function bodies(...bases: Record<string, unknown>[]): fc.Arbitrary<string> {
  return fc.oneof(
    json,
    json,
    deep,
    hugeString.map((s) => JSON.stringify({ text: s, name: s })),
    raw,
    ...bases.map(mutated),
    ...bases.map(mutated),
  );
}

const pathParam = fc.oneof(
  fc.constantFrom(
    known,
    target,
    target,
    'live',
    'beta',
    '1',
    '0',
    '-1',
    '__proto__',
    'constructor',
    '$where',
    'a.b',
    '..',
    '%',
    '%E0%A4%A',
    ' ',
    'x'.repeat(5000),
  ),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 10 }).map(encodeURIComponent),
);
const queryValue = fc.oneof(
  fc.constantFrom('', '0', '-1', '1', '500', '501', 'abc', '1e999', 'NaN', '__proto__', 'pending', 'open'),
  fc.string({ maxLength: 20 }),
);
const query = fc
  .dictionary(
    fc.oneof(
      fc.constantFrom(
        'limit',
        'status',
        'queue',
        'assignee',
        'from',
        'to',
        '__proto__',
        'constructor',
        'limit[]',
        'a[b]',
      ),
      fc.string({ maxLength: 8 }),
    ),
    queryValue,
    { maxKeys: 4 },
  )
  .map((q) =>
    Object.entries(q)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&'),
  );

// ---- the routes ---------------------------------------------------------------------------------

type Method = 'get' | 'post' | 'put';
interface Route {
  method: Method;
  path: string;
  bodies?: fc.Arbitrary<string>;
}

const draftBase = journey;
const routes: Route[] = [
  { method: 'get', path: '/api/health' },
  { method: 'get', path: '/api/ready' },
  { method: 'get', path: '/api/journeys' },
  {
    method: 'post',
    path: '/api/journeys',
    bodies: bodies(draftBase, { id: 'fz', name: 'n', schemaVersion: 1, nodes: [] }),
  },
  { method: 'get', path: '/api/journeys/:id' },
  { method: 'put', path: '/api/journeys/:id', bodies: bodies({ ...draftBase, id: target }) },
  { method: 'post', path: '/api/journeys/:id/validate', bodies: bodies(draftBase) },
  { method: 'post', path: '/api/journeys/:id/publish', bodies: bodies({ message: 'm', author: 'a' }) },
  { method: 'put', path: '/api/journeys/:id/archived', bodies: bodies({ archived: true }, { archived: false }) },
  { method: 'get', path: '/api/journeys/:id/versions' },
  { method: 'get', path: '/api/journeys/:id/versions/:version' },
  { method: 'get', path: '/api/journeys/:id/diff' },
  { method: 'get', path: '/api/journeys/:id/aliases' },
  { method: 'get', path: '/api/journeys/:id/aliases/:alias' },
  {
    method: 'put',
    path: '/api/journeys/:id/aliases/:alias',
    bodies: bodies(
      { version: 1, author: 'a' },
      {
        routes: [
          { version: 1, percent: 90 },
          { version: 1, percent: 10 },
        ],
      },
    ),
  },
  { method: 'post', path: '/api/journeys/:id/aliases/:alias/rollback', bodies: bodies({ author: 'a' }) },
  { method: 'get', path: '/api/journeys/:id/aliases/:alias/history' },
  {
    method: 'post',
    path: '/api/journeys/:id/migrations',
    bodies: bodies({ from: 1, to: 1, dryRun: true }, { from: 1, to: 2, dryRun: false }),
  },
  { method: 'get', path: '/api/journeys/:id/migrations' },
  { method: 'get', path: '/api/activities' },
  {
    method: 'post',
    path: '/api/conversations',
    bodies: bodies(
      { journeyId: 'fz-none', customer: { id: 'c', name: 'n' } },
      { journeyId: 'fz-none', version: 3, alias: 'x' },
    ),
  },
  { method: 'get', path: '/api/conversations/:id' },
  { method: 'post', path: '/api/conversations/:id/messages', bodies: bodies({ clientMessageId: 'm1', text: 'hello' }) },
  { method: 'post', path: '/api/conversations/:id/survey', bodies: bodies({ ces: 3, csat: 4 }) },
  { method: 'get', path: '/api/conversations/:id/stream' },
  { method: 'get', path: '/api/inbox' },
  { method: 'post', path: '/api/tickets/:id/claim', bodies: bodies({ agent: { id: 'a', name: 'A' } }) },
  { method: 'post', path: '/api/tickets/:id/messages', bodies: bodies({ agent: { id: 'a', name: 'A' }, text: 't' }) },
  {
    method: 'post',
    path: '/api/tickets/:id/resolve',
    bodies: bodies({ agent: { id: 'a', name: 'A' }, resolution: 'r' }),
  },
  { method: 'post', path: '/api/tickets/:id/typing', bodies: bodies({ agent: { id: 'a', name: 'A' }, typing: true }) },
  { method: 'get', path: '/api/audit' },
  { method: 'post', path: '/api/triage', bodies: bodies({ text: 'I forgot my password and this is ridiculous' }) },
];

/** The known journey stays intact so later routes still meet a real one: writes to it are kept off. */
function fill(path: string, params: string[]): string {
  let i = 0;
  return path.replace(/:[a-z]+/g, () => params[i++] ?? 'x');
}

async function check(route: Route, url: string, body: string | undefined): Promise<void> {
  let req = request(app)[route.method](url).timeout(10_000);
  if (body !== undefined) req = req.set('content-type', 'application/json').send(body);
  const res = await req;
  const context = `${route.method.toUpperCase()} ${url.slice(0, 300)} body=${(body ?? '').slice(0, 300)}`;
  if (res.status >= 500 && !(route.path === '/api/ready' || route.path === '/api/health')) {
    throw new Error(
      `${res.status} for ${context}: ${JSON.stringify(res.body).slice(0, 500)}; logged: ${String(unhandled[unhandled.length - 1])}`,
    );
  }
  if (res.status >= 400) {
    if (!/application\/problem\+json/.test(String(res.headers['content-type'])))
      throw new Error(`${res.status} without problem+json for ${context}: ${res.headers['content-type']}`);
    if (res.body.status !== res.status)
      throw new Error(`problem status ${res.body.status} differs from ${res.status} for ${context}`);
  }
  if (
    Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted') ||
    ({} as Record<string, unknown>).polluted !== undefined
  )
    throw new Error(`Object.prototype polluted by ${context}`);
}

describe('API fuzz: no 5xx, problem+json on every 4xx', () => {
  for (const route of routes) {
    const paramCount = (route.path.match(/:[a-z]+/g) ?? []).length;
    it(`${route.method.toUpperCase()} ${route.path}`, async () => {
      const writesKnown = route.method !== 'get';
      const params = fc.array(writesKnown ? pathParam.filter((p) => p !== known) : pathParam, {
        minLength: paramCount,
        maxLength: paramCount,
      });
      await fc.assert(
        fc.asyncProperty(
          params,
          query,
          route.bodies ? fc.option(route.bodies, { freq: 10 }) : fc.constant(null),
          async (values, q, body) => {
            await check(route, `${fill(route.path, values)}${q ? `?${q}` : ''}`, body ?? undefined);
          },
        ),
        { numRuns: route.bodies ? runs * 2 : runs, endOnFailure: true },
      );
    }, 120_000);
  }
});
