/** `baton triage train` / `eval` / `--model` on small generated files, through the real CLI. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batonBin, repoRoot, runBaton } from '@baton/test-support/baton-cli';

jest.setTimeout(180_000);

let dir: string;
const subjects = ['card', 'account', 'transfer', 'loan', 'payment', 'statement', 'pin', 'limit', 'fee', 'app'];
const frames: Record<string, string[]> = {
  lost_card: ['I lost my {s} card', 'my {s} card was stolen', 'cannot find my {s} card anywhere'],
  refund: ['I want my money back for the {s}', 'refund the {s} please', 'give me a refund on the {s}'],
  open_account: [
    'how do I open a {s} account',
    'I would like to open a new {s} account',
    'sign me up for a {s} account',
  ],
};
const outOfScope = [
  'what is the weather tomorrow',
  'tell me a joke',
  'who won the football game',
  'play some jazz music',
  'what is the capital of peru',
  'how tall is mount everest',
  'recommend a good movie',
  'set an alarm for seven',
  'translate hello into french',
  'what time is it in tokyo',
];

function csvOf(rows: { text: string; intent: string }[]): string {
  return `text,intent\n${rows.map((row) => `"${row.text.replace(/"/g, '""')}",${row.intent}`).join('\n')}\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-triage-train-'));
  const rows: { text: string; intent: string }[] = [];
  for (const [intent, templates] of Object.entries(frames))
    for (const template of templates)
      for (const subject of subjects) rows.push({ text: template.replace('{s}', subject), intent });
  rows.push(...outOfScope.map((text) => ({ text, intent: 'out_of_scope' })));
  writeFileSync(join(dir, 'train.csv'), csvOf(rows));
  writeFileSync(
    join(dir, 'more.jsonl'),
    `${JSON.stringify({ text: 'my credit card is gone', intent: 'lost_card' })}\n${JSON.stringify({ text: 'I lost my card card', intent: 'lost_card' })}\n`,
  );
  writeFileSync(
    join(dir, 'eval.csv'),
    csvOf([
      { text: 'I lost my visa card', intent: 'lost_card' },
      { text: 'refund the subscription please', intent: 'refund' },
      { text: 'how do I open a savings account', intent: 'open_account' },
      { text: 'what is the weather in rome', intent: 'out_of_scope' },
    ]),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('trains from CSV + JSON lines, prints held-out figures and the threshold, and the model triages and evaluates', async () => {
  const model = join(dir, 'model.json');
  const train = await runBaton(['triage', 'train', 'train.csv', 'more.jsonl', '--out', 'model.json', '--folds', '3'], {
    cwd: dir,
  });
  expect(train.stderr).toContain('101 rows, 4 labels; 1 duplicate rows dropped');
  expect(train.code).toBe(0);
  expect(train.stdout).toMatch(/^3-fold cross-validation:\n {2}accuracy [\d.]+ %, macro-F1 [\d.]+ % \(101 rows\)/);
  expect(train.stdout).toMatch(/out-of-scope recall [\d.]+ % \(10 rows\)/);
  expect(train.stdout).toMatch(/out-of-scope threshold 0(\.\d+)? \(the best accuracy on held-out rows/);
  expect(train.stdout).toMatch(/wrote model\.json \(\d+ bytes, 3 intents\)/);
  const file = JSON.parse(readFileSync(model, 'utf8')) as Record<string, unknown>;
  expect(file).toEqual(
    expect.objectContaining({ format: 'baton-triage', version: 2, labels: ['lost_card', 'open_account', 'refund'] }),
  );

  const triage = await new Promise<{ code: number; stdout: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [batonBin, 'triage', '--model', model],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
      (error, stdout) => resolve({ code: error ? 1 : 0, stdout }),
    );
    child.stdin?.end('{"text":"someone stole my loan card"}\n{"text":"what is the capital of spain"}\n');
  });
  expect(triage.code).toBe(0);
  const [card, other] = triage.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(card).toEqual(expect.objectContaining({ intent: 'lost_card', outOfScope: false }));
  expect(other).toEqual(expect.objectContaining({ intent: null, outOfScope: true }));
  expect(Object.keys(card ?? {}).sort()).toEqual([
    'confidence',
    'escalate',
    'intent',
    'outOfScope',
    'reasons',
    'sentiment',
  ]);

  const good = await runBaton(['triage', 'eval', 'eval.csv', '--model', 'model.json', '--min-accuracy', '75'], {
    cwd: dir,
  });
  expect(good.code).toBe(0);
  expect(good.stdout).toMatch(/^accuracy [\d.]+ %, macro-F1 [\d.]+ % \(4 rows\)/);
  expect(good.stdout).toContain('out-of-scope recall 100 % (1 rows)');
  const bar = await runBaton(['triage', 'eval', 'more.jsonl', '--model', 'model.json', '--min-oos-recall', '50'], {
    cwd: dir,
  });
  expect(bar.code).toBe(1);
  expect(bar.stderr).toContain('--min-oos-recall: the data has no out_of_scope rows');
});

it('names the file and line of bad data, and refuses a corrupt or newer model (exit 2)', async () => {
  writeFileSync(join(dir, 'nolabel.csv'), 'text,topic\nhello,greet\n');
  writeFileSync(join(dir, 'empty.csv'), 'text,intent\nhello,greet\n,greet\n');
  writeFileSync(join(dir, 'newer.json'), JSON.stringify({ format: 'baton-triage', version: 4 }));
  const noLabel = await runBaton(['triage', 'train', 'nolabel.csv', '--out', 'x.json'], { cwd: dir });
  expect(noLabel.code).toBe(2);
  expect(noLabel.stderr).toContain('nolabel.csv:1: no label column (expected one of intent, category, label)');
  const empty = await runBaton(['triage', 'train', 'empty.csv', '--out', 'x.json'], { cwd: dir });
  expect(empty.code).toBe(2);
  expect(empty.stderr).toContain('empty.csv:3: empty text');
  const newer = await runBaton(['triage', 'eval', 'eval.csv', '--model', 'newer.json'], { cwd: dir });
  expect(newer.code).toBe(2);
  expect(newer.stderr).toContain('format version 4, newer than this Baton reads (3)');
  const corrupt = await runBaton(['triage', '--model', 'eval.csv', 'eval.csv'], { cwd: dir });
  expect(corrupt.code).toBe(2);
  expect(corrupt.stderr).toContain('eval.csv: not a triage model file (not JSON');
  const folds = await runBaton(['triage', 'train', 'train.csv', '--out', 'x.json', '--folds', '1'], { cwd: dir });
  expect(folds.code).toBe(2);
  expect(folds.stderr).toContain('--folds must be an integer from 2 to 20');
});

it('takes a fixed out-of-scope threshold with --oos-threshold and refuses a bad one (exit 2)', async () => {
  const fixed = await runBaton(
    ['triage', 'train', 'train.csv', '--out', 'fixed.json', '--folds', '3', '--oos-threshold', '0'],
    { cwd: dir },
  );
  expect(fixed.code).toBe(0);
  expect(fixed.stdout).toMatch(/out-of-scope threshold 0 \(set by the trainer \(--oos-threshold\)\)/);
  const file = JSON.parse(readFileSync(join(dir, 'fixed.json'), 'utf8')) as { outOfScope: { threshold: number } };
  expect(file.outOfScope.threshold).toBe(0);
  const bad = await runBaton(['triage', 'train', 'train.csv', '--out', 'x.json', '--oos-threshold', '1.5'], {
    cwd: dir,
  });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--oos-threshold must be auto or a number from 0 to 1, got "1.5"');
});
