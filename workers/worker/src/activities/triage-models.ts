/**
 * A classify node backed by a published triage model: the worker loads `name@version` from the store
 * (parsed models kept in a small LRU) and answers with the model's own intent; the node maps it to a
 * handle. A missing or unreadable model (or one that needs sentence embeddings this worker lacks)
 * fails the call without retry, so the node leaves by its fallback at once.
 */
import { nonRetryable } from '@baton/activity-sdk';
import {
  classifyForNode,
  embeddingsForArtefact,
  loadPublishedModel,
  TriageEmbeddingsError,
  TriageModelError,
  TriageModelMissingError,
  triageModelCache,
  type ModelClassification,
  type TriageModelCache,
} from '@baton/ai/triage-artefact';
import type { Store } from '@baton/store';

export { triageModelCache, type ModelClassification, type TriageModelCache as ModelCache };

/** Loads (or reuses) the model and classifies the text with it. */
export async function classifyWithModel(
  cache: TriageModelCache,
  store: Store,
  ref: { name: string; version?: number | undefined },
  text: string,
): Promise<ModelClassification> {
  let loaded: Awaited<ReturnType<typeof loadPublishedModel>>;
  try {
    loaded = await loadPublishedModel(cache, store.triageModels, ref);
  } catch (error) {
    // Retrying cannot publish or repair a model; other errors (the store) keep their retries.
    if (error instanceof TriageModelMissingError) throw nonRetryable(error.message, 'TriageModelMissing');
    if (error instanceof TriageModelError) throw nonRetryable(error.message, 'TriageModelUnreadable');
    throw error;
  }
  let embedding: Float32Array | undefined;
  try {
    [embedding] = await embeddingsForArtefact(loaded.artefact, [text]);
  } catch (error) {
    // A model that needs sentence embeddings on a worker without the embedding model: the node's fallback.
    if (error instanceof TriageEmbeddingsError)
      throw nonRetryable(`triage model ${loaded.key}: ${error.message}`, 'TriageEmbeddingsMissing');
    throw error;
  }
  return classifyForNode(loaded.key, loaded.artefact, text, embedding);
}
