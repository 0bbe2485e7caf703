/**
 * The triage quality gate of `baton test` (tests/<name>.eval.json): the built-in Bitext model on a
 * small labelled file passes bars it reaches and fails bars it does not, with the figures and the
 * reason; bad eval files name the field.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@baton/test-support/baton-cli';
import type { Io } from '../src/io';
import { runTests } from '../src/test-runner';
import { runTriageGate } from '../src/triage-gate';

jest.setTimeout(60_000);

const modelFile = join(repoRoot, 'workers', 'ai', 'models', 'triage-model.json');
let dir: string;
let io: Io & { lines: string[] };

/** Bitext-style requests the built-in model knows, one deliberately mislabelled, and two out-of-scope rows. */
const rows = [
  ['where is my order? I want to track it', 'track_order'],
  ['I need to track the package I ordered', 'track_order'],
  ['I forgot my password and cannot log in', 'recover_password'],
  ['help me recover the password of my account', 'recover_password'],
  ['I want to cancel the order I placed yesterday', 'cancel_order'],
  ['how can I cancel my purchase', 'cancel_order'],
  ['I would like to get a refund for my order', 'get_refund'],
  ['I want to delete my account', 'delete_account'],
  ['I need a copy of my invoice', 'get_refund'],
  ['what is the weather like on mars tonight', 'out_of_scope'],
  ['sing me a song about dolphins and pianos', 'out_of_scope'],
];

function writeGate(name: string, spec: Record<string, unknown>, data = rows): string {
  const tests = join(dir, name, 'tests');
  mkdirSync(tests, { recursive: true });
  writeFileSync(
    join(tests, 'support.csv'),
    `text,intent\n${data.map(([text, intent]) => `"${text}",${intent}`).join('\n')}\n`,
  );
  const file = join(tests, 'support.eval.json');
  writeFileSync(file, JSON.stringify({ model: modelFile, data: 'support.csv', ...spec }));
  return file;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-gate-'));
  const lines: string[] = [];
  io = { out: (text) => lines.push(text), err: (text) => lines.push(text), cwd: dir, env: {}, color: false, lines };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a bar the model reaches passes; one it misses fails with the figure, the bar and the worst confusions', async () => {
  const passing = await runTriageGate(writeGate('ok', { minAccuracy: 0.5 }), io);
  expect(passing.passed).toBe(true);
  expect(passing.lines[0]).toMatch(/^11 rows: accuracy \d+(\.\d+)? %, in-scope \d+(\.\d+)? %, out-of-scope recall/);
  // The mislabelled invoice row can never be right: 100 % is out of reach.
  const failing = await runTriageGate(writeGate('strict', { minInScopeAccuracy: 1 }), io);
  expect(failing.passed).toBe(false);
  expect(failing.lines[0]).toMatch(/^in-scope accuracy \d+(\.\d+)? % is below the bar 100 %$/);
  expect(failing.lines.join('\n')).toMatch(/worst confusions: get_refund → /);
});

test('an out-of-scope bar needs out_of_scope rows to measure', async () => {
  const inScopeOnly = rows.filter(([, intent]) => intent !== 'out_of_scope');
  const result = await runTriageGate(writeGate('no-oos', { minOosRecall: 0.5 }, inScopeOnly), io);
  expect(result.passed).toBe(false);
  expect(result.lines[0]).toBe('out-of-scope recall: the data has no out_of_scope rows to measure it on');
});

test('a bad eval file, a missing model or bad data fail the gate naming what is wrong', async () => {
  expect((await runTriageGate(writeGate('nobar', {}), io)).lines[0]).toMatch(/give at least one bar/);
  expect((await runTriageGate(writeGate('pct', { minAccuracy: 90 }), io)).lines[0]).toMatch(
    /\/minAccuracy: a bar is a fraction from 0 to 1$/,
  );
  expect((await runTriageGate(writeGate('nomodel', { model: 'absent.json', minAccuracy: 0.5 }), io)).lines[0]).toMatch(
    /ENOENT|no such file/,
  );
  expect((await runTriageGate(writeGate('one-label', { minAccuracy: 0.5 }, [['hello there', '']]), io)).passed).toBe(
    false,
  );
});

test('baton test runs the gates beside the scripted conversations and exits 1 below a bar', async () => {
  writeGate('ok', { minAccuracy: 0.5 });
  expect(await runTests([dir], { activities: () => null }, io)).toBe(0);
  expect(io.lines.join('\n')).toMatch(/✓ triage gate support/);
  writeGate('strict', { minInScopeAccuracy: 1 });
  io.lines.length = 0;
  expect(await runTests([dir], { activities: () => null }, io)).toBe(1);
  expect(io.lines.join('\n')).toMatch(/✗ triage gate support[\s\S]*is below the bar 100 %/);
});

test('a file named on the command line runs as what its name says: a journey test or a gate', async () => {
  const gate = writeGate('ok', { minAccuracy: 0.5 });
  expect(await runTests([gate], { activities: () => null }, io)).toBe(0);
  expect(io.lines.join('\n')).toMatch(/✓ triage gate support[\s\S]*1 passed, 1 test in 1 file/);
  io.lines.length = 0;
  const journeyTest = join(repoRoot, 'examples', 'support-triage', 'tests', 'orders.test.json');
  expect(await runTests([journeyTest], { activities: () => null }, { ...io, cwd: repoRoot })).toBe(0);
  expect(io.lines.join('\n')).not.toContain('triage gate');
});
