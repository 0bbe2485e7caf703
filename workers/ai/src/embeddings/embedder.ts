/**
 * Sentence embeddings with all-MiniLM-L6-v2 (int8-quantised ONNX) on onnxruntime-node: WordPiece
 * ids, one session run per batch (one text by default), mean pooling over the attention mask, L2
 * norm (384 dimensions).
 * The files come from scripts/minilm-model.sh into ~/.cache/baton/minilm or $BATON_EMBEDDINGS_DIR;
 * nothing is downloaded at run time. onnxruntime-node is required only here, on first use, so code
 * that never embeds (the built-in triage, the workflow bundle, the web app) never loads it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { wordPieceTokenizer, type WordPieceTokenizer } from './tokenizer';

/** The id a triage model file records for the embedding model it needs. */
export const minilmModelId = 'minilm-l6-v2-q';
export const minilmDimensions = 384;
export const embeddingsDirEnv = 'BATON_EMBEDDINGS_DIR';

/** Where the model files are: $BATON_EMBEDDINGS_DIR, or ~/.cache/baton/minilm. */
export function embeddingsDir(): string {
  const fromEnv = process.env[embeddingsDirEnv];
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : join(homedir(), '.cache', 'baton', 'minilm');
}

/** The model files are not on this machine (or cannot be read). */
export class EmbeddingModelMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddingModelMissingError';
  }
}

export interface EmbeddingFiles {
  dir: string;
  model: string;
  tokenizer: string;
}

/** The model and tokenizer files in `dir`, or EmbeddingModelMissingError saying how to get them. */
export function findEmbeddingFiles(dir = embeddingsDir()): EmbeddingFiles {
  const files = { dir, model: join(dir, 'model.onnx'), tokenizer: join(dir, 'tokenizer.json') };
  const missing = [files.model, files.tokenizer].filter((path) => !existsSync(path));
  if (missing.length > 0)
    throw new EmbeddingModelMissingError(
      `the sentence-embedding model (${minilmModelId}) is not on this machine: ${missing.join(', ')} missing; run scripts/minilm-model.sh (or set ${embeddingsDirEnv} to its directory)`,
    );
  return files;
}

export interface Embedder {
  readonly id: typeof minilmModelId;
  readonly dimensions: number;
  /** sha256 of the model and tokenizer files: a triage model records them and refuses others. */
  readonly sha256: { model: string; tokenizer: string };
  readonly tokenizer: WordPieceTokenizer;
  /** Unit-length vectors, in the order of `texts`. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  release(): Promise<void>;
}

export interface EmbedderOptions {
  dir?: string;
  /** onnxruntime's intra-op threads (default 1: one core per worker). */
  threads?: number;
  /**
   * Texts per session run (default 1). The quantised model quantises its activations per run (one
   * scale for the whole batch), so a text batched with others gets a slightly different vector
   * (cosine ≈ 0.99): one at a time, a text always gets the same one, in training and in production.
   */
  batchSize?: number;
}

type Ort = typeof import('onnxruntime-node');

function loadOrt(): Ort {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('onnxruntime-node') as Ort;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Loads the model files into an onnxruntime session; errors say which file and why. */
export async function loadEmbedder(options: EmbedderOptions = {}): Promise<Embedder> {
  const files = findEmbeddingFiles(options.dir ?? embeddingsDir());
  let modelBytes: Buffer;
  let tokenizerText: string;
  try {
    modelBytes = readFileSync(files.model);
    tokenizerText = readFileSync(files.tokenizer, 'utf8');
  } catch (error) {
    throw new EmbeddingModelMissingError(
      `cannot read the sentence-embedding model in ${files.dir}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const tokenizer = wordPieceTokenizer(tokenizerText, { maxLength: 128 });
  const ort = loadOrt();
  const threads = options.threads ?? 1;
  let session: Awaited<ReturnType<Ort['InferenceSession']['create']>>;
  try {
    session = await ort.InferenceSession.create(new Uint8Array(modelBytes), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    throw new EmbeddingModelMissingError(
      `${files.model} is not a model onnxruntime can load: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const output = session.outputNames.includes('last_hidden_state')
    ? 'last_hidden_state'
    : (session.outputNames[0] as string);
  const needsTypeIds = session.inputNames.includes('token_type_ids');
  const batchSize = Math.max(1, options.batchSize ?? 1);

  async function run(encoded: number[][]): Promise<Float32Array[]> {
    const rows = encoded.length;
    const length = Math.max(...encoded.map((ids) => ids.length));
    const ids = new BigInt64Array(rows * length);
    const mask = new BigInt64Array(rows * length);
    encoded.forEach((row, b) =>
      row.forEach((value, j) => {
        ids[b * length + j] = BigInt(value);
        mask[b * length + j] = 1n;
      }),
    );
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {
      input_ids: new ort.Tensor('int64', ids, [rows, length]),
      attention_mask: new ort.Tensor('int64', mask, [rows, length]),
    };
    if (needsTypeIds) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(rows * length), [rows, length]);
    const result = await session.run(feeds);
    const hidden = result[output] as InstanceType<Ort['Tensor']>;
    const data = hidden.data as Float32Array;
    const dims = hidden.dims[2] as number;
    return encoded.map((row, b) => {
      // Mean over the real tokens (the mask), then unit length.
      const vector = new Float32Array(dims);
      for (let j = 0; j < row.length; j += 1) {
        const base = (b * length + j) * dims;
        for (let d = 0; d < dims; d += 1) vector[d] = (vector[d] as number) + (data[base + d] as number);
      }
      let norm = 0;
      for (let d = 0; d < dims; d += 1) norm += (vector[d] as number) ** 2;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let d = 0; d < dims; d += 1) vector[d] = (vector[d] as number) * scale;
      return vector;
    });
  }

  return {
    id: minilmModelId,
    dimensions: minilmDimensions,
    sha256: { model: sha256(modelBytes), tokenizer: sha256(Buffer.from(tokenizerText)) },
    tokenizer,
    async embed(texts) {
      const encoded = texts.map((text) => tokenizer.encode(text));
      // Similar lengths in one batch pad less.
      const order = encoded
        .map((_, i) => i)
        .sort((a, b) => (encoded[a] as number[]).length - (encoded[b] as number[]).length);
      const out = new Array<Float32Array>(texts.length);
      for (let start = 0; start < order.length; start += batchSize) {
        const slice = order.slice(start, start + batchSize);
        const vectors = await run(slice.map((i) => encoded[i] as number[]));
        slice.forEach((i, k) => {
          out[i] = vectors[k] as Float32Array;
        });
      }
      return out;
    },
    release: () => session.release(),
  };
}

const shared = new Map<string, Promise<Embedder>>();

/** One embedder per directory for the process (a failed load is not kept, so a later call retries). */
export function sharedEmbedder(dir = embeddingsDir()): Promise<Embedder> {
  let found = shared.get(dir);
  if (!found) {
    found = loadEmbedder({ dir });
    shared.set(dir, found);
    found.catch(() => shared.delete(dir));
  }
  return found;
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += (a[i] as number) * (b[i] as number);
  return dot;
}
