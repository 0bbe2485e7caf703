/**
 * `baton migrate FILE… [--check]` through the real executable: an old React Flow export is upgraded
 * to the current schemaVersion and written canonically, a second run says `already current` and
 * touches nothing, `--check` writes nothing and exits 1 when a file would change, a file from a
 * newer Baton is refused with the field named.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentSchemaVersion, journeySchemaUrl } from '@baton/schemas';
import { formatJourney } from '@baton/core/compiler';
import { repoRoot, runBaton } from '@baton/test-support/baton-cli';

const exampleFile = join(repoRoot, 'examples', 'order-tracking', 'journey.json');
const exampleText = readFileSync(exampleFile, 'utf8');
const example = JSON.parse(exampleText) as Record<string, unknown> & {
  nodes: Record<string, unknown>[];
  edges: Record<string, unknown>[];
};

/** The example as the editor exported it before schemaVersion existed. */
function oldExport(): Record<string, unknown> {
  const { $schema: _schema, schemaVersion: _version, version: _published, ...rest } = structuredClone(example);
  return {
    ...rest,
    nodes: rest.nodes.map((node) => ({
      ...node,
      selected: false,
      dragging: false,
      measured: { width: 150, height: 36 },
      positionAbsolute: node.position,
    })),
    edges: rest.edges.map((edge) => ({
      ...edge,
      animated: true,
      type: 'smoothstep',
      markerEnd: { type: 'arrowclosed' },
    })),
  };
}

let dir: string;
let inRepo: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-migrate-'));
  // A folder inside the repository (under the git-ignored .baton/), where $schema becomes a relative path.
  mkdirSync(join(repoRoot, '.baton'), { recursive: true });
  inRepo = mkdtempSync(join(repoRoot, '.baton', 'test-migrate-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(inRepo, { recursive: true, force: true });
});

function write(folder: string, name: string, value: unknown): string {
  const file = join(folder, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

describe('baton migrate', () => {
  test('upgrades an old React Flow export in place, canonical and valid; a second run says already current and writes nothing', async () => {
    const file = write(dir, 'old.journey.json', oldExport());
    const run = await runBaton(['migrate', file], { cwd: dir });
    expect(run.stderr).toContain('1 upgraded, 0 already current (of 1 journey file)');
    expect(run.stdout).toBe(`old.journey.json: upgraded from schemaVersion 0 to ${currentSchemaVersion}\n`);
    expect(run.code).toBe(0);

    const text = readFileSync(file, 'utf8');
    expect(text).toBe(formatJourney(JSON.parse(text)));
    const upgraded = JSON.parse(text) as Record<string, unknown>;
    // Outside the repository: the published schema URL.
    expect(upgraded).toMatchObject({ $schema: journeySchemaUrl, schemaVersion: currentSchemaVersion, version: 0 });
    expect(text).not.toMatch(/"(selected|dragging|measured|positionAbsolute|animated|markerEnd)"/);
    // Only $schema differs from the example it came from.
    expect(text).toBe(exampleText.replace('"../../schemas/journey.schema.json"', JSON.stringify(journeySchemaUrl)));

    const valid = await runBaton(['validate', file], { cwd: dir });
    expect(valid.code).toBe(0);

    const mtime = statSync(file).mtimeMs;
    const again = await runBaton(['migrate', file], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`old.journey.json: already current (schemaVersion ${currentSchemaVersion})\n`);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(statSync(file).mtimeMs).toBe(mtime);
  });

  test('inside the repository, $schema is the path to schemas/journey.schema.json relative to the file', async () => {
    const file = write(inRepo, 'billing/journey.json', oldExport());
    const run = await runBaton(['migrate', file]);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      $schema: '../../../schemas/journey.schema.json',
      schemaVersion: currentSchemaVersion,
    });
  });

  test('--check writes nothing and exits 1 when a file would change (an upgrade, or a current file not in canonical form)', async () => {
    const folder = join(dir, 'check');
    const old = write(folder, 'a/journey.json', oldExport());
    const oldText = readFileSync(old, 'utf8');
    const current = write(folder, 'b/journey.json', exampleText);
    const messy = write(folder, 'c/journey.json', JSON.stringify(example));

    const run = await runBaton(['migrate', '--check', folder], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      `check/a/journey.json: would upgrade from schemaVersion 0 to ${currentSchemaVersion}`,
      `check/b/journey.json: already current (schemaVersion ${currentSchemaVersion})`,
      `check/c/journey.json: already current (schemaVersion ${currentSchemaVersion}), not in canonical form`,
    ]);
    expect(run.stderr).toContain(
      '✗ 2 of 3 journey files would change; run: npx baton migrate check/a/journey.json check/c/journey.json',
    );
    expect(readFileSync(old, 'utf8')).toBe(oldText);
    expect(readFileSync(messy, 'utf8')).toBe(JSON.stringify(example));

    const clean = await runBaton(['migrate', '--check', current], { cwd: dir });
    expect(clean.code).toBe(0);
    expect(clean.stderr).toContain('✓ 1 journey file current');
  });

  test('the examples are current', async () => {
    const run = await runBaton(['migrate', '--check', 'examples']);
    expect(run.stderr).toContain('journey files current');
    expect(run.stdout).not.toContain('would upgrade');
    expect(run.code).toBe(0);
  });

  test('a file from a newer Baton, or not JSON, is refused with the field named and left alone (exit 1)', async () => {
    const newerText = JSON.stringify({ ...example, schemaVersion: currentSchemaVersion + 1 });
    const newer = write(dir, 'newer.journey.json', newerText);
    const broken = write(dir, 'broken.journey.json', '{ "id": ');
    const run = await runBaton(['migrate', newer, broken], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `newer.journey.json:-:/schemaVersion: error: schemaVersion ${currentSchemaVersion + 1} is newer than this Baton (${currentSchemaVersion}); upgrade Baton`,
    );
    expect(run.stderr).toMatch(/broken\.journey\.json:-:\/: error: invalid JSON: /);
    expect(readFileSync(newer, 'utf8')).toBe(newerText);

    const check = await runBaton(['migrate', '--check', newer], { cwd: dir });
    expect(check.code).toBe(1);
  });

  test('an upgraded journey that still has problems is written, and the problems are pointed at', async () => {
    const old = oldExport() as { nodes: { data: Record<string, unknown> }[] };
    const first = old.nodes[1];
    if (first) first.data = {};
    const file = write(dir, 'needs-work.journey.json', old);
    const run = await runBaton(['migrate', file], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('needs-work.journey.json: upgraded from schemaVersion 0 to 1');
    expect(run.stderr).toMatch(
      /needs-work\.journey\.json: \d+ problems? left after the upgrade; run: npx baton validate needs-work\.journey\.json/,
    );
  });

  test('--help lists migrate', async () => {
    const run = await runBaton(['--help']);
    expect(run.stdout).toMatch(/^ {2}migrate\b/m);
  });
});
