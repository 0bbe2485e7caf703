import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatJourney } from '@baton/core/compiler';
import { journeySchemaText } from '../src/schema';
import { repoRoot, runBaton } from '@baton/test-support/baton-cli';

const complaintFile = join(repoRoot, 'examples', 'complaint', 'journey.json');
const complaint = JSON.parse(readFileSync(complaintFile, 'utf8')) as {
  nodes: { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> }[];
  edges: { id: string; source: string; sourceHandle: string; target: string }[];
  variables: Record<string, unknown>;
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

/** The complaint example with three mistakes: a bad priority, an edge to a missing node, an unknown activity. */
function brokenJourney() {
  const journey = JSON.parse(JSON.stringify(complaint)) as typeof complaint;
  const care = journey.nodes.find((node) => node.id === 'care');
  if (care) care.data.priority = 'asap';
  const edge = journey.edges.find((e) => e.source === 'apology');
  if (edge) edge.target = 'nowhere';
  journey.nodes.push({
    id: 'refund',
    type: 'activity',
    position: { x: 0, y: 0 },
    data: { activity: 'billing.refund' },
  } as unknown as (typeof journey.nodes)[number]);
  journey.edges.push(
    { id: 'e_r1', source: 'refund', sourceHandle: 'ok', target: 'survey' },
    { id: 'e_r2', source: 'refund', sourceHandle: 'error', target: 'survey' },
    { id: 'e_r3', source: 'survey', sourceHandle: 'answered', target: 'refund' },
  );
  return journey;
}

describe('baton CLI', () => {
  test('the bin is executable and --help lists the commands', async () => {
    expect(() => accessSync(join(repoRoot, 'engine', 'cli', 'bin', 'baton.js'), constants.X_OK)).not.toThrow();
    const run = await runBaton(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['dev', 'validate', 'compile', 'fmt', 'test', 'simulate', 'diff', 'publish', 'schema']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  test('validate: the examples are valid (exit 0)', async () => {
    const run = await runBaton(['validate', 'examples']);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('journey files valid');
    expect(run.code).toBe(0);
  });

  test('validate: a broken journey exits 1 with one line per problem (file:node:pointer: severity: message)', async () => {
    const file = write('broken.json', brokenJourney());
    const run = await runBaton(['validate', file], { cwd: dir });
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^broken\.json:care:\/nodes\/2\/data\/priority: error: .*"urgent"/),
        expect.stringMatching(
          /^broken\.json:apology:\/edges\/9\/target: error: edge points at unknown node "nowhere"$/,
        ),
        expect.stringMatching(
          /^broken\.json:refund:\/nodes\/9\/data\/activity: error: unknown activity "billing\.refund"/,
        ),
      ]),
    );
    for (const line of lines) expect(line).toMatch(/^broken\.json:[A-Za-z0-9_-]+:\/[^:]*: (error|warning): .+/);
    expect(run.stderr).toContain('1 of 1 journey file invalid');
  });

  test('validate: warnings are printed but do not fail; invalid JSON is located', async () => {
    const journey = JSON.parse(JSON.stringify(complaint)) as typeof complaint;
    const apology = journey.nodes.find((node) => node.id === 'apology');
    if (apology) apology.data.text = 'Sorry {{nobody}}';
    const warned = write('warned.json', journey);
    const run = await runBaton(['validate', warned], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(
      'warned.json:apology:/nodes/7/data/text: warning: template reads unknown variable "nobody"',
    );

    const bad = write('bad.json', '{\n  "id": "x",\n  "nodes": [,]\n}\n');
    const badRun = await runBaton(['validate', bad], { cwd: dir });
    expect(badRun.code).toBe(1);
    expect(badRun.stdout.trim()).toBe('bad.json:-:/: error: invalid JSON: unexpected "," at line 3, column 13');
  });

  test('validate --format github and --format json', async () => {
    const file = write('broken.json', brokenJourney());
    const github = await runBaton(['validate', '--format', 'github', file], { cwd: dir });
    expect(github.code).toBe(1);
    expect(github.stdout).toMatch(
      /^::error file=broken\.json,line=\d+,col=\d+,title=baton validate%3A node care \(invalid\)::\/nodes\/2\/data\/priority: /m,
    );

    const json = await runBaton(['validate', '--format', 'json', file], { cwd: dir });
    expect(json.code).toBe(1);
    const reports = JSON.parse(json.stdout) as {
      file: string;
      valid: boolean;
      diagnostics: { nodeId?: string; path: string; line: number }[];
    }[];
    expect(reports[0]).toMatchObject({ file: 'broken.json', valid: false });
    expect(reports[0]?.diagnostics.find((d) => d.nodeId === 'care')).toMatchObject({
      path: '/nodes/2/data/priority',
      line: expect.any(Number),
    });
  });

  test('fmt --check lists files that are not canonical; fmt rewrites them', async () => {
    const file = write('journey.json', JSON.stringify(complaint, null, 4));
    const check = await runBaton(['fmt', '--check', '.'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout.trim()).toBe('journey.json');

    const fmt = await runBaton(['fmt', 'journey.json'], { cwd: dir });
    expect(fmt.code).toBe(0);
    expect(fmt.stdout.trim()).toBe('formatted journey.json');
    expect(readFileSync(file, 'utf8')).toBe(formatJourney(complaint));

    const again = await runBaton(['fmt', '--check', 'journey.json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('');
  });

  test('fmt --check passes on the examples written by this repository', async () => {
    const run = await runBaton(['fmt', '--check', 'examples/order-tracking', 'examples/complaint']);
    expect(run.code).toBe(0);
  });

  test('compile prints the compiled journey', async () => {
    const run = await runBaton(['compile', 'examples/complaint/journey.json']);
    expect(run.code).toBe(0);
    const compiled = JSON.parse(run.stdout) as {
      id: string;
      hash: string;
      start: string;
      nodes: Record<string, { next: Record<string, string> }>;
    };
    expect(compiled).toMatchObject({ id: 'complaint', start: 'start' });
    expect(compiled.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(compiled.nodes.tier?.next).toEqual({ vip: 'care_vip', else: 'care' });

    const broken = await runBaton(['compile', write('broken.json', brokenJourney())], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('broken.json does not compile:');
  });

  test('schema prints the journey JSON Schema, the same as the committed schemas/journey.schema.json', async () => {
    const run = await runBaton(['schema']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(journeySchemaText());
    expect(readFileSync(join(repoRoot, 'schemas', 'journey.schema.json'), 'utf8')).toBe(journeySchemaText());
  });

  test('simulate prints the transcript and the path', async () => {
    const run = await runBaton([
      'simulate',
      'examples/complaint/journey.json',
      '--script',
      'examples/complaint/tests/standard.test.json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("bot        I'm sorry about your experience, Jo.");
    expect(run.stdout).toContain('agent Sam  Hi Jo, I can see the double charge.');
    expect(run.stdout).toContain('Path     start → tier:else → care:resolved → survey:answered → done');
    expect(run.stdout).toContain('Outcome  resolved_by_agent');
  });

  test('test: runs journey tests, a line per test and a summary; exit 1 on a failure', async () => {
    const failing = {
      name: 'expects the wrong queue',
      journey: complaintFile,
      steps: [{ expect: { bot: 'a message the bot never says' } }],
    };
    write('failing.test.json', failing);
    write('passing.test.json', { name: 'passes', journey: complaintFile, steps: [{ expect: { at: 'care' } }] });
    const run = await runBaton(['test', dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}✗ complaint › expects the wrong queue \(\d+ ms\)$/m);
    expect(run.stdout).toMatch(/^ {2}✓ complaint › passes \(\d+ ms\)$/m);
    expect(run.stdout).toContain('step 1 {"expect":{"bot":"a message the bot never says"}}:');
    expect(run.stdout).toContain(
      `✗ bot: expected the bot's messages at the start to contain "a message the bot never says"`,
    );
    expect(run.stdout).toContain("I'm sorry about your experience, Alex.");
    expect(run.stdout).toContain('path so far: start → tier:else → care');
    expect(run.stdout).toMatch(/✗ 1 passed, 1 failed, 2 tests in 2 files/);
  });

  test("test: fakes are held to the activity's real contract (the workers' zod schemas)", async () => {
    const sub = mkdtempSync(join(dir, 'contract-'));
    writeFileSync(
      join(sub, 'drift.test.json'),
      JSON.stringify({
        name: 'a fake that drifted from orders.lookup',
        journey: join(repoRoot, 'examples', 'order-tracking', 'journey.json'),
        activities: { 'orders.lookup': { output: { found: true, status: 'in transit' } } },
        steps: [{ customer: 'A1001' }],
      }),
    );
    const run = await runBaton(['test', sub]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✗ the fake output of orders.lookup is not what the activity can return: orderId: ');
  });

  test('diff reports nodes, connections and layout', async () => {
    const after = JSON.parse(JSON.stringify(complaint)) as typeof complaint;
    const care = after.nodes.find((node) => node.id === 'care');
    // Where the example has it (the examples' layout may change).
    const was = complaint.nodes.find((node) => node.id === 'care')?.position;
    if (care) {
      care.data.priority = 'urgent';
      care.position = { x: 5, y: 250 };
    }
    const a = write('a.json', complaint);
    const b = write('b.json', after);
    const run = await runBaton(['diff', a, b, '--exit-code'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('nodes\n  ~ care (handoff)\n      data.priority: "high" → "urgent"');
    expect(run.stdout).toContain(
      `layout (no effect on conversations)\n  ~ care moved (${was?.x}, ${was?.y}) → (5, 250)`,
    );
    const same = await runBaton(['diff', a, a, '--exit-code'], { cwd: dir });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('no changes');
  });

  test('publish saves the draft (creating the journey on 404), publishes it and prints id@version', async () => {
    const requests: { method: string; url: string; body: unknown }[] = [];
    const known = new Set<string>();
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        const body = text ? (JSON.parse(text) as unknown) : null;
        requests.push({ method: request.method ?? '', url: request.url ?? '', body });
        const reply = (status: number, value: unknown) => {
          response.writeHead(status, {
            'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
          });
          response.end(JSON.stringify(value));
        };
        if (request.method === 'PUT' && request.url === '/api/journeys/complaint') {
          if (!known.has('complaint')) return reply(404, { title: 'Not Found', status: 404 });
          return reply(200, { id: 'complaint' });
        }
        if (request.method === 'POST' && request.url === '/api/journeys') {
          known.add('complaint');
          return reply(201, { id: 'complaint' });
        }
        if (request.method === 'POST' && request.url === '/api/journeys/complaint/publish')
          return reply(201, { id: 'complaint', version: known.size + requests.length });
        return reply(500, { title: 'unexpected request' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const first = await runBaton(['publish', 'examples/complaint/journey.json', '--api', api, '-m', 'first']);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout.trim()).toMatch(/^complaint@\d+$/);
      expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'PUT /api/journeys/complaint',
        'POST /api/journeys',
        'POST /api/journeys/complaint/publish',
      ]);
      expect(requests[1]?.body).toEqual(complaint);
      expect(requests[2]?.body).toEqual({ message: 'first' });

      requests.length = 0;
      const second = await runBaton(['publish', 'examples/complaint/journey.json'], { env: { BATON_API_URL: api } });
      expect(second.code).toBe(0);
      expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'PUT /api/journeys/complaint',
        'POST /api/journeys/complaint/publish',
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    const down = await runBaton(['publish', 'examples/complaint/journey.json', '--api', 'http://127.0.0.1:1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach the Baton API at http://127.0.0.1:1');

    const invalid = await runBaton(['publish', write('broken.json', brokenJourney()), '--api', 'http://127.0.0.1:1'], {
      cwd: dir,
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('is not valid; nothing was published');
  });
});
