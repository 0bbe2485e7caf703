/**
 * The sentence embeddings a triage model with `embeddings` (format v3) needs: the machine's
 * embedding model (../embeddings, loaded on first use), checked against the files the model was
 * trained with. A model without embeddings needs none and loads nothing.
 */
import type { Embedder } from '../embeddings/embedder';
import { TriageEmbeddingsError, type EmbeddingRequirement, type TriageModel } from './model';

export { TriageEmbeddingsError };

type EmbeddingsModule = typeof import('../embeddings/embedder');

function embeddingsModule(): EmbeddingsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../embeddings/embedder') as EmbeddingsModule;
}

/** What a model file records about the embedder it was trained with. */
export function embeddingRequirement(embedder: Embedder): EmbeddingRequirement {
  return { model: embedder.id, dimensions: embedder.dimensions, sha256: { ...embedder.sha256 } };
}

/**
 * The embedder a model needs (undefined when it needs none): the shared one of this process, from
 * $BATON_EMBEDDINGS_DIR or ~/.cache/baton/minilm. Missing files or files other than the model was
 * trained with throw TriageEmbeddingsError saying so.
 */
export async function embedderFor(model: TriageModel, dir?: string): Promise<Embedder | undefined> {
  const needed = model.embeddings;
  if (!needed) return undefined;
  const { sharedEmbedder } = embeddingsModule();
  let embedder: Embedder;
  try {
    embedder = await sharedEmbedder(dir);
  } catch (error) {
    throw new TriageEmbeddingsError(
      `this triage model needs sentence embeddings, and ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (embedder.id !== needed.model || embedder.dimensions !== needed.dimensions)
    throw new TriageEmbeddingsError(
      `this triage model needs ${needed.model} (${needed.dimensions} dimensions); this machine has ${embedder.id} (${embedder.dimensions})`,
    );
  for (const file of ['model', 'tokenizer'] as const)
    if (embedder.sha256[file] !== needed.sha256[file])
      throw new TriageEmbeddingsError(
        `this triage model was trained with a ${needed.model} ${file} file of sha256 ${needed.sha256[file]}; this machine's has ${embedder.sha256[file]} (run scripts/minilm-model.sh)`,
      );
  return embedder;
}

/** Each text's embedding for the model (all undefined for a model without embeddings). */
export async function embedTexts(
  model: TriageModel,
  texts: readonly string[],
  dir?: string,
): Promise<(Float32Array | undefined)[]> {
  const embedder = await embedderFor(model, dir);
  if (!embedder) return texts.map(() => undefined);
  return embedder.embed(texts);
}
