/**
 * @jest-environment ./test/helpers/onnx-environment.js
 *
 * baton.classify with a published triage model that weighs sentence embeddings (format v3): the
 * worker embeds the text with the machine's MiniLM model; a worker without that model fails the
 * call without retry, saying why, so the node takes its fallback. The test with the real model
 * skips, and says so, when scripts/minilm-model.sh has not run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEmbedder } from '@baton/ai/embeddings';
import { triageModelToJson } from '@baton/ai/triage';
import { trainingEmbeddings, trainTriage } from '@baton/ai/triage/train';
import type { Store } from '@baton/store';
import { findEmbeddingModelFor } from '@baton/test-support/embedding-model';
import { classifyWithModel, triageModelCache } from '../src/activities/triage-models';

jest.setTimeout(120_000);

const rows = [
  ...['my card was stolen', 'someone took my credit card', 'I lost my debit card', 'my card is missing'].map(
    (text) => ({ text, intent: 'lost_card' }),
  ),
  ...['I want a refund', 'give me my money back', 'please refund my order', 'return the payment to me'].map((text) => ({
    text,
    intent: 'refund',
  })),
];

function storeWith(files: Record<string, Uint8Array>): Store {
  const triageModels = {
    async latestVersion(name: string) {
      return files[`${name}@1`] ? 1 : null;
    },
    async readFile(name: string, version: number) {
      const file = files[`${name}@${version}`];
      return file ? { version: { name, version }, file } : null;
    },
  };
  return { triageModels } as unknown as Store;
}

const savedDir = process.env.BATON_EMBEDDINGS_DIR;
afterEach(() => {
  if (savedDir === undefined) delete process.env.BATON_EMBEDDINGS_DIR;
  else process.env.BATON_EMBEDDINGS_DIR = savedDir;
});

test('a model that needs embeddings on a worker without the embedding model fails without retry, saying why', async () => {
  const requirement = {
    model: 'minilm-l6-v2-q' as const,
    dimensions: 3,
    sha256: { model: 'a'.repeat(64), tokenizer: 'b'.repeat(64) },
  };
  const { model } = trainTriage(rows, {
    folds: 2,
    linear: { bits: 10, epochs: 5 },
    embeddings: { requirement, of: (text) => Float32Array.from([text.length % 3, 1, 0]) },
  });
  const store = storeWith({ 'cards@1': new TextEncoder().encode(triageModelToJson(model)) });
  const empty = mkdtempSync(join(tmpdir(), 'baton-worker-no-minilm-'));
  process.env.BATON_EMBEDDINGS_DIR = empty;
  try {
    await expect(
      classifyWithModel(triageModelCache(4), store, { name: 'cards' }, 'my card is gone'),
    ).rejects.toMatchObject({
      nonRetryable: true,
      message: expect.stringMatching(
        /^triage model cards@1: this triage model needs sentence embeddings, and the sentence-embedding model \(minilm-l6-v2-q\) is not on this machine: .* run scripts\/minilm-model\.sh/,
      ),
    });
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

const found = findEmbeddingModelFor('the worker classify test with a MiniLM embedding model');
(found.ok ? test : test.skip)("answers a v3 model's intent, embedding the customer's text", async () => {
  const dir = found.ok ? found.dir : '';
  process.env.BATON_EMBEDDINGS_DIR = dir;
  const embedder = await loadEmbedder({ dir });
  const embeddings = await trainingEmbeddings(embedder, rows);
  await embedder.release();
  const { model } = trainTriage(rows, { folds: 2, embeddings, linear: { bits: 12 } });
  const store = storeWith({ 'cards@1': new TextEncoder().encode(triageModelToJson(model)) });
  const answer = await classifyWithModel(triageModelCache(4), store, { name: 'cards' }, 'a thief took my visa card');
  expect(answer).toMatchObject({ intent: 'lost_card', outOfScope: false });
  expect(answer.reasons[0]).toMatch(/^cards@1: lost_card \(\d\.\d\d\)$/);
});
