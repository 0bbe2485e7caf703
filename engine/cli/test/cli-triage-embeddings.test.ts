/**
 * `baton triage train --embeddings minilm` and the commands that use such a model, through the real
 * CLI. Those that need the MiniLM files (scripts/minilm-model.sh) skip, and say so, without them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBaton } from '@baton/test-support/baton-cli';
import { findEmbeddingModelFor } from '@baton/test-support/embedding-model';

jest.setTimeout(180_000);

let dir: string;
let empty: string;
const frames: Record<string, string[]> = {
  lost_card: ['I lost my {s} card', 'my {s} card was stolen', 'cannot find my {s} card anywhere'],
  refund: ['I want my money back for the {s}', 'refund the {s} please', 'give me a refund on the {s}'],
};
const subjects = ['visa', 'debit', 'credit', 'bank', 'new'];
const outOfScope = ['what is the weather tomorrow', 'tell me a joke', 'play some jazz music', 'set an alarm for seven'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-triage-emb-'));
  empty = mkdtempSync(join(tmpdir(), 'baton-no-minilm-'));
  const rows = Object.entries(frames).flatMap(([intent, templates]) =>
    templates.flatMap((template) => subjects.map((s) => `"${template.replace('{s}', s)}",${intent}`)),
  );
  rows.push(...outOfScope.map((text) => `"${text}",out_of_scope`));
  writeFileSync(join(dir, 'train.csv'), `text,intent\n${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'eval.csv'),
    'text,intent\n"a thief took my card",lost_card\n"I would like my money returned",refund\n',
  );
  writeFileSync(join(dir, 'input.jsonl'), '{"text":"someone took my card"}\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

it('refuses an unknown kind, and --embeddings on a machine without the model, saying how to get it', async () => {
  const bogus = await runBaton(['triage', 'train', 'train.csv', '--out', 'x.json', '--embeddings', 'bert'], {
    cwd: dir,
  });
  expect(bogus.code).toBe(2);
  expect(bogus.stderr).toContain('--embeddings must be one of minilm, got "bert"');
  const missing = await runBaton(['triage', 'train', 'train.csv', '--out', 'x.json', '--embeddings', 'minilm'], {
    cwd: dir,
    env: { BATON_EMBEDDINGS_DIR: empty },
  });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(
    /--embeddings minilm: the sentence-embedding model \(minilm-l6-v2-q\) is not on this machine/,
  );
  expect(missing.stderr).toContain('run scripts/minilm-model.sh');
});

const found = findEmbeddingModelFor('the CLI tests of a triage model with MiniLM embeddings');
(found.ok ? it : it.skip)(
  'trains with embeddings; triage --model and eval embed their inputs; without the model they refuse',
  async () => {
    const env = { BATON_EMBEDDINGS_DIR: found.ok ? found.dir : '' };
    const train = await runBaton(
      ['triage', 'train', 'train.csv', '--out', 'model.json', '--folds', '2', '--embeddings', 'minilm'],
      { cwd: dir, env },
    );
    expect(train.stderr).toMatch(/embedded the texts with minilm-l6-v2-q in [\d.]+ s/);
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/^2-fold cross-validation:\n {2}accuracy [\d.]+ %/);
    const file = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toEqual(
      expect.objectContaining({
        version: 3,
        embeddings: expect.objectContaining({ model: 'minilm-l6-v2-q', dimensions: 384 }),
      }),
    );

    const triage = await runBaton(['triage', '--model', 'model.json', 'input.jsonl'], { cwd: dir, env });
    expect(triage.code).toBe(0);
    expect(JSON.parse(triage.stdout.trim())).toEqual(
      expect.objectContaining({ intent: 'lost_card', outOfScope: false }),
    );
    const evaluated = await runBaton(['triage', 'eval', 'eval.csv', '--model', 'model.json', '--min-accuracy', '100'], {
      cwd: dir,
      env,
    });
    expect(evaluated.stdout).toMatch(/^accuracy 100 %/);
    expect(evaluated.code).toBe(0);

    const without = await runBaton(['triage', '--model', 'model.json', 'input.jsonl'], {
      cwd: dir,
      env: { BATON_EMBEDDINGS_DIR: empty },
    });
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(
      /model\.json: this triage model needs sentence embeddings, and the sentence-embedding model \(minilm-l6-v2-q\) is not on this machine/,
    );
    const evalWithout = await runBaton(['triage', 'eval', 'eval.csv', '--model', 'model.json'], {
      cwd: dir,
      env: { BATON_EMBEDDINGS_DIR: empty },
    });
    expect(evalWithout.code).toBe(2);
    expect(evalWithout.stderr).toContain('run scripts/minilm-model.sh');
  },
);
