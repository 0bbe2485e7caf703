/** `baton triage` on a JSON-lines file and on stdin; bad lines are named and make the exit code 1. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batonBin, repoRoot, runBaton } from '@baton/test-support/baton-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-triage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

it('triages a JSONL file, one JSON line per input', async () => {
  const file = join(dir, 'in.jsonl');
  writeFileSync(
    file,
    `${JSON.stringify({ text: 'I want to speak to a human' })}\n${JSON.stringify({ text: 'what is the status of order 12345?' })}\n`,
  );
  const run = await runBaton(['triage', file]);
  expect(run.code).toBe(0);
  const out = lines(run.stdout);
  expect(out).toHaveLength(2);
  expect(out[0]).toEqual(expect.objectContaining({ intent: 'contact_human_agent', escalate: true }));
  expect(out[1]).toEqual(expect.objectContaining({ intent: 'track_order', escalate: false }));
  for (const line of out)
    expect(Object.keys(line).sort()).toEqual([
      'confidence',
      'escalate',
      'intent',
      'outOfScope',
      'reasons',
      'sentiment',
    ]);
});

it('reads stdin, names bad lines and exits 1 after the rest', async () => {
  const input = ['{"text":"I forgot my password"}', 'not json', '{"text":""}', '{"text":"I need a refund"}'].join('\n');
  const run = await new Promise<{ code: number; stdout: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [batonBin, 'triage'],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
      (error, stdout) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout });
      },
    );
    child.stdin?.end(input);
  });
  expect(run.code).toBe(1);
  const out = lines(run.stdout);
  expect(out).toHaveLength(4);
  expect(out[0]).toEqual(expect.objectContaining({ intent: 'recover_password' }));
  expect(out[1]).toEqual({ line: 2, error: expect.stringMatching(/^line 2: not JSON/) });
  expect(out[2]).toEqual({ line: 3, error: expect.stringMatching(/^line 3: \/text: /) });
  expect(out[3]).toEqual(expect.objectContaining({ intent: 'get_refund' }));
});
