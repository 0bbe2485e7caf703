/**
 * The diff of published versions on the real stack: `GET /api/journeys/:id/diff?from=&to=` after two
 * publishes through the in-process API (bad and missing versions named as problem+json), and
 * `baton diff journey@version …` against that API listening on a port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { runBaton } from '@baton/test-support/baton-cli';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

type JourneyFile = {
  id: string;
  nodes: { id: string; position: { x: number; y: number }; data: Record<string, unknown> }[];
} & Record<string, unknown>;
const exampleFile = join(__dirname, '../../../examples/password-reset/journey.json');
const journey = JSON.parse(readFileSync(exampleFile, 'utf8')) as JourneyFile;
/** Where the example has the greeting (the examples' layout may change). */
const greetAt = journey.nodes.find((node) => node.id === 'greet')?.position ?? { x: NaN, y: NaN };

/** Version 2: another greeting, and the greeting moved on the canvas. */
function secondVersion(): JourneyFile {
  const copy = structuredClone(journey);
  const greet = copy.nodes.find((node) => node.id === 'greet');
  if (!greet) throw new Error('fixture changed: no greet node');
  greet.data.text = 'Hello {{customer.name}}, version two here.';
  greet.position = { x: 40, y: 100 };
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

  await request(stack.app).post('/api/journeys').send(journey).expect(201);
  expect(
    (await request(stack.app).post('/api/journeys/password-reset/publish').send({ author: 'ops' }).expect(201)).body
      .version,
  ).toBe(1);
  await request(stack.app).put('/api/journeys/password-reset').send(secondVersion()).expect(200);
  expect(
    (await request(stack.app).post('/api/journeys/password-reset/publish').send({ author: 'ops' }).expect(201)).body
      .version,
  ).toBe(2);
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

const api = () => request(stack.app);

describe('GET /api/journeys/:id/diff', () => {
  it('answers the semantic diff of two published versions, structured and as text', async () => {
    const res = await api().get('/api/journeys/password-reset/diff?from=1&to=2').expect(200);
    expect(res.body).toMatchObject({
      journeyId: 'password-reset',
      from: { version: 1, hash: expect.any(String) },
      to: { version: 2, hash: expect.any(String) },
    });
    expect(res.body.from.hash).not.toBe(res.body.to.hash);
    expect(res.body.diff).toMatchObject({
      valid: { a: true, b: true },
      logicChanged: true,
      layoutChanged: true,
      envelope: [{ field: 'version', before: 1, after: 2 }],
      nodes: {
        added: [],
        removed: [],
        changed: [
          {
            id: 'greet',
            type: 'message',
            changes: [
              {
                field: 'data.text',
                before: "Hi {{customer.name}}, I'm the Baton assistant.",
                after: 'Hello {{customer.name}}, version two here.',
              },
            ],
          },
        ],
      },
      edges: { added: [], removed: [], rewired: [] },
      layout: [{ id: 'greet', moved: { before: greetAt, after: { x: 40, y: 100 } } }],
    });
    expect(res.body.text).toContain('--- password-reset@1\n+++ password-reset@2');
    expect(res.body.text).toContain(
      'nodes\n  ~ greet (message)\n      data.text: "Hi {{customer.name}}, I\'m the Baton assistant." → "Hello {{customer.name}}, version two here."',
    );
    expect(res.body.text).toContain(
      `layout (no effect on conversations)\n  ~ greet moved (${greetAt.x}, ${greetAt.y}) → (40, 100)`,
    );

    // Backwards, and a version against itself.
    const back = await api().get('/api/journeys/password-reset/diff?from=2&to=1').expect(200);
    expect(back.body.diff.nodes.changed[0].changes[0]).toMatchObject({
      before: 'Hello {{customer.name}}, version two here.',
    });
    const same = await api().get('/api/journeys/password-reset/diff?from=2&to=2').expect(200);
    expect(same.body.diff).toMatchObject({ logicChanged: false, layoutChanged: false });
    expect(same.body.text).toContain('no changes');
  });

  it('400 names /from or /to when it is not a positive integer', async () => {
    const cases: [string, string][] = [
      ['from=abc&to=2', '/from'],
      ['from=0&to=2', '/from'],
      ['from=1.5&to=2', '/from'],
      ['from=1&to=-2', '/to'],
      ['from=1', '/to'],
      ['to=2', '/from'],
      ['from=1&from=2&to=2', '/from'],
    ];
    for (const [query, path] of cases) {
      const res = await api().get(`/api/journeys/password-reset/diff?${query}`);
      expect({ query, status: res.status, type: res.type }).toEqual({
        query,
        status: 400,
        type: 'application/problem+json',
      });
      expect(res.body.errors[0]).toMatchObject({ path });
      expect(res.body.detail).toMatch(new RegExp(`^${path}: `));
    }
    const both = await api().get('/api/journeys/password-reset/diff').expect(400);
    expect(both.body.errors.map((e: { path: string }) => e.path)).toEqual(['/from', '/to']);
    const badId = await api().get('/api/journeys/not%20an%20id/diff?from=1&to=2').expect(400);
    expect(badId.body.title).toBe('Invalid request path parameter "id"');
  });

  it('404 names the version that is not published', async () => {
    const to = await api().get('/api/journeys/password-reset/diff?from=1&to=9').expect(404);
    expect(to.type).toBe('application/problem+json');
    expect(to.body).toMatchObject({
      status: 404,
      title: 'Version not found',
      detail: '/to: version 9 of journey "password-reset" is not published',
      errors: [{ path: '/to' }],
    });
    const from = await api().get('/api/journeys/password-reset/diff?from=7&to=2').expect(404);
    expect(from.body.errors).toEqual([
      { path: '/from', message: 'version 7 of journey "password-reset" is not published' },
    ]);
    const nothing = await api().get('/api/journeys/no-such-journey/diff?from=1&to=2').expect(404);
    expect(nothing.body.errors.map((e: { path: string }) => e.path)).toEqual(['/from', '/to']);
  });
});

describe('baton diff journey@version', () => {
  it('diffs two published versions on the API: the same text the route answers', async () => {
    const route = await api().get('/api/journeys/password-reset/diff?from=1&to=2').expect(200);
    const run = await runBaton(['diff', 'password-reset@1', 'password-reset@2', '--api', apiUrl, '--exit-code']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`${route.body.text as string}\n`);

    const json = await runBaton(['diff', 'password-reset@1', 'password-reset@2', '--format', 'json'], {
      env: { BATON_API_URL: apiUrl },
    });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(route.body.diff);
  });

  it('diffs a published version against a file (BATON_API_URL)', async () => {
    const run = await runBaton(['diff', 'password-reset@1', 'examples/password-reset/journey.json', '--exit-code'], {
      env: { BATON_API_URL: apiUrl },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--- password-reset@1\n+++ examples/password-reset/journey.json');
    // The file is the source of version 1; only the bookkeeping `version` differs.
    expect(run.stdout).toContain('journey\n  ~ version: 1 → 0\nlogic unchanged');

    const other = await runBaton([
      'diff',
      'examples/password-reset/journey.json',
      'password-reset@2',
      '--api',
      `${apiUrl}/`,
    ]);
    expect(other.code).toBe(0);
    expect(other.stdout).toContain('  ~ greet (message)');
  });

  it('a version that is not published, or an API that is not there, exits 1 naming it', async () => {
    const missing = await runBaton(['diff', 'password-reset@9', 'password-reset@1', '--api', apiUrl]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(`password-reset@9: no such published version on ${apiUrl} (404 Version not found`);

    const down = await runBaton(['diff', 'password-reset@1', 'password-reset@2', '--api', 'http://127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach the Baton API at http://127.0.0.1:1');
  });
});
