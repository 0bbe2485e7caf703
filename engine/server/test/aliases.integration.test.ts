/**
 * Aliases on the real stack (Temporal dev server, Mongo-wire server, a worker, the API): the first
 * publish creates `live`, later publishes leave it alone, a canary splits new conversations by
 * their id, rollback walks the history back; and `baton alias` / `baton pull` against the API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { formatJourney } from '@baton/core/compiler';
import { aliasBucket } from '@baton/store';
import { runBaton } from '@baton/test-support/baton-cli';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

type JourneyFile = { id: string; nodes: { id: string; data: Record<string, unknown> }[] } & Record<string, unknown>;
const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as JourneyFile;
const customer = { id: 'cust-alias', name: 'Ana', email: 'ana@example.com' };

/** The example with another greeting: a new content hash, so a new version. */
function withGreeting(text: string): JourneyFile {
  const copy = structuredClone(journey);
  const greet = copy.nodes.find((node) => typeof node.data.text === 'string' && node.data.text.startsWith('Hi '));
  if (!greet) throw new Error('fixture changed: no greeting');
  greet.data.text = text;
  return copy;
}

let stack: TestStack;
let server: Server;
let apiUrl: string;
beforeAll(async () => {
  stack = await startTestStack();
  server = createServer(stack.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

const api = () => request(stack.app);
const aliasUrl = '/api/journeys/password-reset/aliases/live';

async function publish(source: JourneyFile): Promise<number> {
  await api().put('/api/journeys/password-reset').send(source).expect(200);
  const published = await api().post('/api/journeys/password-reset/publish').send({ author: 'ops' }).expect(201);
  return published.body.version as number;
}

async function start(body: Record<string, unknown>) {
  const res = await api()
    .post('/api/conversations')
    .send({ journeyId: 'password-reset', customer, ...body });
  expect(res.status).toBe(201);
  // The version the response names is the one the conversation runs.
  expect(res.body.conversation.journey.version).toBe(res.body.version);
  return res.body as {
    conversationId: string;
    version: number;
    alias: string | null;
    conversation: { journey: { version: number } };
  };
}

/** Ids whose buckets we know: `count` below 90 (the 90 % route) and `count` from 90 (the 10 % canary). */
function chooseIds(prefix: string, count: number): { main: string[]; canary: string[] } {
  const main: string[] = [];
  const canary: string[] = [];
  for (let i = 0; main.length < count || canary.length < count; i += 1) {
    const id = `${prefix}-${i}`;
    const list = aliasBucket(id) < 90 ? main : canary;
    if (list.length < count) list.push(id);
  }
  return { main, canary };
}

describe('aliases', () => {
  it('publishing version 1 creates live → 1; later publishes leave live where it is', async () => {
    await api().post('/api/journeys').send(journey).expect(201);
    const first = await api().post('/api/journeys/password-reset/publish').send({ author: 'ops' }).expect(201);
    expect(first.body.version).toBe(1);
    const listed = await api().get('/api/journeys/password-reset/aliases').expect(200);
    expect(listed.body.aliases).toEqual([
      expect.objectContaining({
        journeyId: 'password-reset',
        alias: 'live',
        routes: [{ version: 1, percent: 100 }],
        revision: 1,
        updatedBy: 'ops',
      }),
    ]);

    expect(await publish(withGreeting('Hello {{customer.name}}, version two here.'))).toBe(2);
    const live = await api().get(aliasUrl).expect(200);
    expect(live.body.alias.routes).toEqual([{ version: 1, percent: 100 }]);

    // Neither version nor alias: the live alias, not the latest version.
    const started = await start({});
    expect(started).toMatchObject({ version: 1, alias: 'live' });
    expect(started.conversation.journey.version).toBe(1);
    // A version by name still works, and says no alias was used.
    expect(await start({ version: 2 })).toMatchObject({ version: 2, alias: null });
  });

  it('moves live to 2, then to 2 with a 10 % canary on 3: each conversation runs the version of its bucket', async () => {
    const moved = await api().put(aliasUrl).send({ version: 2, author: 'ana' }).expect(200);
    expect(moved.body).toMatchObject({
      changed: true,
      alias: { routes: [{ version: 2, percent: 100 }], revision: 2, updatedBy: 'ana' },
    });
    // The same routes again: no change, nothing recorded.
    const again = await api().put(aliasUrl).send({ version: 2 }).expect(200);
    expect(again.body).toMatchObject({ changed: false, alias: { revision: 2 } });

    expect(await publish(withGreeting('Hey {{customer.name}}, version three.'))).toBe(3);
    expect((await api().get(aliasUrl).expect(200)).body.alias.routes).toEqual([{ version: 2, percent: 100 }]);

    const routes = [
      { version: 2, percent: 90 },
      { version: 3, percent: 10 },
    ];
    const canary = await api().put(aliasUrl).send({ routes }).expect(200);
    expect(canary.body.alias).toMatchObject({ routes, revision: 3 });

    const ids = chooseIds('alias-canary', 3);
    const runs = await Promise.all([
      ...ids.main.map((conversationId) => start({ conversationId }).then((r) => ({ r, expected: 2 }))),
      ...ids.canary.map((conversationId, index) =>
        start({ conversationId, ...(index === 0 && { alias: 'live' }) }).then((r) => ({ r, expected: 3 })),
      ),
    ]);
    for (const { r, expected } of runs) {
      expect(r).toMatchObject({ version: expected, alias: 'live' });
      expect(r.conversation.journey.version).toBe(expected);
      const state = await api().get(`/api/conversations/${r.conversationId}`).expect(200);
      expect(state.body.conversation.journey.version).toBe(expected);
    }
    // Starting the same id again answers the same conversation on the same version.
    const twice = await start({ conversationId: ids.canary[1] });
    expect(twice.version).toBe(3);
  });

  it('rolls back through the history, and answers 409 when there is nothing left to go back to', async () => {
    const back = await api().post(`${aliasUrl}/rollback`).send({ author: 'sre' }).expect(200);
    expect(back.body.alias).toMatchObject({ routes: [{ version: 2, percent: 100 }], revision: 4, updatedBy: 'sre' });
    const onTwo = chooseIds('alias-after-rollback', 2);
    for (const conversationId of [...onTwo.main, ...onTwo.canary])
      expect((await start({ conversationId })).version).toBe(2);

    const history = await api().get(`${aliasUrl}/history`).expect(200);
    expect(
      history.body.history.map(
        (e: { revision: number; action: string; before: unknown; after: unknown; undoes?: number }) => [
          e.revision,
          e.action,
          e.before,
          e.after,
          e.undoes,
        ],
      ),
    ).toEqual([
      [
        4,
        'rollback',
        [
          { version: 2, percent: 90 },
          { version: 3, percent: 10 },
        ],
        [{ version: 2, percent: 100 }],
        3,
      ],
      [
        3,
        'set',
        [{ version: 2, percent: 100 }],
        [
          { version: 2, percent: 90 },
          { version: 3, percent: 10 },
        ],
        undefined,
      ],
      [2, 'set', [{ version: 1, percent: 100 }], [{ version: 2, percent: 100 }], undefined],
      [1, 'set', null, [{ version: 1, percent: 100 }], undefined],
    ]);
    expect(history.body.history[0]).toMatchObject({
      journeyId: 'password-reset',
      alias: 'live',
      by: 'sre',
      at: expect.any(String),
    });

    // A second rollback undoes the change before (2 → 1), not the rollback itself.
    const second = await api().post(`${aliasUrl}/rollback`).send({}).expect(200);
    expect(second.body.alias.routes).toEqual([{ version: 1, percent: 100 }]);
    expect((await start({})).version).toBe(1);
    const none = await api().post(`${aliasUrl}/rollback`).send({}).expect(409);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body.detail).toMatch(/no earlier routes/);
    await api().post('/api/journeys/password-reset/aliases/nope/rollback').send({}).expect(404);
    await api().get('/api/journeys/password-reset/aliases/nope/history').expect(404);
  });

  it('refuses an alias to a missing version (404 naming the version) and a bad split (400 naming /routes)', async () => {
    const missing = await api().put(aliasUrl).send({ version: 9 }).expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.body.errors).toEqual([{ path: '/version', message: 'version 9 is not published' }]);
    expect(missing.body.detail).toContain('version 9');
    const missingCanary = await api()
      .put(aliasUrl)
      .send({
        routes: [
          { version: 2, percent: 95 },
          { version: 9, percent: 5 },
        ],
      })
      .expect(404);
    expect(missingCanary.body.errors).toEqual([{ path: '/routes/1/version', message: 'version 9 is not published' }]);
    await api().put('/api/journeys/no-such-journey/aliases/live').send({ version: 1 }).expect(404);

    const badSum = await api()
      .put(aliasUrl)
      .send({
        routes: [
          { version: 2, percent: 90 },
          { version: 3, percent: 5 },
        ],
      })
      .expect(400);
    expect(badSum.body.errors).toEqual([
      expect.objectContaining({ path: '/routes', message: expect.stringContaining('sum to 95') }),
    ]);
    const three = await api()
      .put(aliasUrl)
      .send({
        routes: [
          { version: 1, percent: 30 },
          { version: 2, percent: 30 },
          { version: 3, percent: 40 },
        ],
      })
      .expect(400);
    expect(three.body.errors[0].path).toBe('/routes');
    const both = await api()
      .put(aliasUrl)
      .send({ version: 2, routes: [{ version: 2, percent: 100 }] })
      .expect(400);
    expect(both.body.errors[0].path).toBe('/routes');
    const neither = await api().put(aliasUrl).send({}).expect(400);
    expect(neither.body.errors[0].path).toBe('/version');
    const badName = await api().put('/api/journeys/password-reset/aliases/Live!').send({ version: 1 }).expect(400);
    expect(badName.body.detail).toMatch(/must start with a lower-case letter/);
    // Nothing of that was recorded.
    expect((await api().get(aliasUrl).expect(200)).body.alias).toMatchObject({
      routes: [{ version: 1, percent: 100 }],
      revision: 5,
    });
  });

  it('starting a conversation: version and alias together is a 400 naming /alias; an unknown alias is a 404 naming /alias', async () => {
    const both = await api()
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer, version: 1, alias: 'live' })
      .expect(400);
    expect(both.body.errors).toEqual([expect.objectContaining({ path: '/alias' })]);
    const unknown = await api()
      .post('/api/conversations')
      .send({ journeyId: 'password-reset', customer, alias: 'beta' })
      .expect(404);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: '/alias' })]);
    // Another alias than live works the same way.
    await api().put('/api/journeys/password-reset/aliases/beta').send({ version: 3 }).expect(201);
    expect(await start({ alias: 'beta' })).toMatchObject({ version: 3, alias: 'beta' });
    expect(await start({})).toMatchObject({ version: 1, alias: 'live' });
    const listed = await api().get('/api/journeys/password-reset/aliases').expect(200);
    expect(listed.body.aliases.map((a: { alias: string }) => a.alias)).toEqual(['beta', 'live']);
  });
});

describe('the alias history is the log; the alias document catches up with it', () => {
  it('concurrent changes get consecutive revisions and the alias ends on the last one', async () => {
    const { store } = stack;
    const results = await Promise.all(
      [1, 2, 3, 1, 2, 3].map((version, i) =>
        store.setAlias('password-reset', 'race', [{ version, percent: 100 }], `w${i}`),
      ),
    );
    const history = await store.aliasHistory('password-reset', 'race');
    const revisions = history.map((entry) => entry.revision);
    expect(revisions).toEqual([...revisions].sort((a, b) => b - a));
    expect(revisions).toEqual(Array.from({ length: revisions.length }, (_, i) => revisions.length - i));
    expect(results.filter((r) => r.changed)).toHaveLength(revisions.length);
    const head = await store.getAlias('password-reset', 'race');
    expect(head?.revision).toBe(history[0]?.revision);
    expect(head?.routes).toEqual(history[0]?.after);
    // Each entry's before is the previous entry's after.
    for (let i = 0; i + 1 < history.length; i += 1) expect(history[i]?.before).toEqual(history[i + 1]?.after);
  });

  it('a change that stopped after writing its history entry is applied by the next reader', async () => {
    const { store } = stack;
    const head = await store.getAlias('password-reset', 'beta');
    if (!head) throw new Error('beta missing');
    await store.collection('alias_history').insertOne({
      _id: `password-reset/beta#${head.revision + 1}` as never,
      journeyId: 'password-reset',
      alias: 'beta',
      revision: head.revision + 1,
      action: 'set',
      before: head.routes,
      after: [{ version: 2, percent: 100 }],
      at: new Date(),
    });
    expect((await store.getAlias('password-reset', 'beta'))?.routes).toEqual([{ version: 2, percent: 100 }]);
    const next = await store.setAlias('password-reset', 'beta', [{ version: 1, percent: 100 }]);
    expect(next.alias.revision).toBe(head.revision + 2);
  });
});

describe('baton alias and baton pull against the API', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baton-pull-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('baton alias moves live with a canary, shows it, rolls it back', async () => {
    const moved = await runBaton([
      'alias',
      'password-reset',
      'live',
      '2',
      '--canary',
      '3:10',
      '--api',
      apiUrl,
      '--author',
      'cli',
    ]);
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(moved.stdout.trim()).toBe('password-reset live → 2 (90%), 3 (10%)');
    const shown = await runBaton(['alias', 'password-reset', 'live'], { env: { BATON_API_URL: apiUrl } });
    expect(shown.stdout.trim()).toBe('password-reset live → 2 (90%), 3 (10%)');
    const listed = await runBaton(['alias', 'password-reset', '--api', apiUrl]);
    expect(listed.stdout.trim().split('\n')).toEqual(
      expect.arrayContaining(['password-reset live → 2 (90%), 3 (10%)']),
    );
    const back = await runBaton(['alias', 'password-reset', 'live', '--rollback', '--api', apiUrl]);
    expect(back.code).toBe(0);
    expect(back.stdout.trim()).toBe('password-reset live → 1');

    const missing = await runBaton(['alias', 'password-reset', 'live', '9', '--api', apiUrl]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('404');
    expect(missing.stderr).toContain('/version: version 9 is not published');
    const badCanary = await runBaton(['alias', 'password-reset', 'live', '2', '--canary', '3', '--api', apiUrl]);
    expect(badCanary.code).toBe(2);
    expect(badCanary.stderr).toContain('expected VERSION:PERCENT');
  });

  it("baton pull writes each journey's latest published source canonically, and a second pull changes nothing", async () => {
    // A journey that was never published is skipped.
    await api()
      .post('/api/journeys')
      .send({ ...journey, id: 'draft-only', name: 'Draft only' })
      .expect(201);

    const first = await runBaton(['pull', dir, '--api', apiUrl]);
    expect(first.code).toBe(0);
    const file = join(dir, 'password-reset', 'journey.json');
    expect(first.stdout).toMatch(/^written .*password-reset\/journey\.json \(password-reset@3\)$/m);
    expect(first.stderr).toContain('skipped draft-only (never published)');
    expect(first.stderr).toContain('1 written, 0 unchanged');

    const latest = await api().get('/api/journeys/password-reset/versions/3').expect(200);
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(formatJourney(latest.body.source));
    expect(JSON.parse(text)).toMatchObject({ id: 'password-reset', version: 3 });
    // The bytes are what `baton fmt` writes.
    const check = await runBaton(['fmt', '--check', dir]);
    expect(check.code).toBe(0);

    const mtime = statSync(file).mtimeMs;
    const second = await runBaton(['pull', dir], { env: { BATON_API_URL: apiUrl } });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^unchanged .*password-reset\/journey\.json \(password-reset@3\)$/m);
    expect(second.stderr).toContain('0 written, 1 unchanged');
    expect(statSync(file).mtimeMs).toBe(mtime);

    const down = await runBaton(['pull', dir, '--api', 'http://127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach the Baton API');
  });
});
