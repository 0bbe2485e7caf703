/**
 * `baton diff` against published refs on a server, aliases included (`password-reset@live`,
 * `password-reset@2`), with `--server` or BATON_API_URL: the real stack's API listening on a port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parseVersionRef } from '../src/diff';
import { runBaton } from '@baton/test-support/baton-cli';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

type JourneyFile = {
  id: string;
  nodes: { id: string; position: { x: number; y: number }; data: Record<string, unknown> }[];
} & Record<string, unknown>;
const journey = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as JourneyFile;

function withGreeting(text: string): JourneyFile {
  const copy = structuredClone(journey);
  const greet = copy.nodes.find((node) => node.id === 'greet');
  if (!greet) throw new Error('fixture changed: no greet node');
  greet.data.text = text;
  return copy;
}

describe('parseVersionRef', () => {
  it('reads journey@version and journey@alias, and nothing else', () => {
    expect(parseVersionRef('password-reset@3')).toEqual({ journeyId: 'password-reset', version: 3 });
    expect(parseVersionRef('password-reset@live')).toEqual({ journeyId: 'password-reset', alias: 'live' });
    expect(parseVersionRef('password-reset@canary-2')).toEqual({ journeyId: 'password-reset', alias: 'canary-2' });
    for (const arg of [
      'password-reset',
      'password-reset@',
      'password-reset@0',
      'password-reset@Live',
      '@live',
      'journey.json',
      'a b@live',
    ])
      expect(parseVersionRef(arg)).toBeUndefined();
  });
});

describe('baton diff with published refs', () => {
  let stack: TestStack;
  let server: Server;
  let apiUrl: string;

  beforeAll(async () => {
    // With a worker: it announces the activity catalog the publish compiles against.
    stack = await startTestStack();
    server = createServer(stack.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const api = request(stack.app);
    await api.post('/api/journeys').send(journey).expect(201);
    await api.post('/api/journeys/password-reset/publish').send({ author: 'ops' }).expect(201);
    await request(stack.app)
      .put('/api/journeys/password-reset')
      .send(withGreeting('Hello from version two.'))
      .expect(200);
    await request(stack.app).post('/api/journeys/password-reset/publish').send({ author: 'ops' }).expect(201);
    await request(stack.app)
      .put('/api/journeys/password-reset')
      .send(withGreeting('Hello from version three.'))
      .expect(200);
    await request(stack.app).post('/api/journeys/password-reset/publish').send({ author: 'ops' }).expect(201);
    await request(stack.app)
      .put('/api/journeys/password-reset/aliases/live')
      .send({ version: 2 })
      .expect((res) => expect([200, 201]).toContain(res.status));
    await request(stack.app)
      .put('/api/journeys/password-reset/aliases/canary')
      .send({
        routes: [
          { version: 2, percent: 90 },
          { version: 3, percent: 10 },
        ],
      })
      .expect((res) => expect([200, 201]).toContain(res.status));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await stack?.stop();
  });

  it('diffs an alias against a version number (--server)', async () => {
    const run = await runBaton(['diff', 'password-reset@live', 'password-reset@3', '--server', apiUrl, '--exit-code']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('--- password-reset@live (version 2)\n+++ password-reset@3');
    expect(run.stdout).toContain('data.text: "Hello from version two." → "Hello from version three."');
  });

  it('an alias and the version it points at are the same (BATON_API_URL)', async () => {
    const run = await runBaton(['diff', 'password-reset@2', 'password-reset@live', '--exit-code'], {
      env: { BATON_API_URL: apiUrl },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no changes');
  });

  it('a canary alias compares its larger share and says so', async () => {
    const run = await runBaton(['diff', 'password-reset@1', 'password-reset@canary', '--server', apiUrl]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'password-reset@canary splits traffic (version 2 90 %, version 3 10 %): comparing version 2, the larger share',
    );
    expect(run.stdout).toContain('+++ password-reset@canary (version 2)');
    expect(run.stdout).toContain('"Hello from version two."');
  });

  it('an alias that does not exist exits 1 naming it', async () => {
    const run = await runBaton(['diff', 'password-reset@beta', 'password-reset@1', '--server', apiUrl]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`password-reset@beta: no such alias on ${apiUrl} (404 Alias not found`);
  });
});
