/**
 * A classify node backed by a published triage model: the worker loads `name@version` from the store
 * (parsed models kept in a small LRU, as a model may be megabytes) and answers with the model's own
 * intent; the node maps it to a handle. A missing or unreadable model fails the call without retry,
 * so the node leaves by its fallback at once.
 */
import { nonRetryable } from '@baton/activity-sdk';
import { classifyWithArtefact, parseTriageArtefact, type TriageArtefact } from '@baton/ai/triage-artefact';
import type { Store } from '@baton/store';

export interface ModelCache {
  get(key: string): TriageArtefact | undefined;
  set(key: string, artefact: TriageArtefact): void;
  readonly size: number;
}

/** A least-recently-used map of parsed models by `name@version`. */
export function triageModelCache(capacity: number): ModelCache {
  const entries = new Map<string, TriageArtefact>();
  return {
    get(key) {
      const found = entries.get(key);
      if (found) {
        entries.delete(key);
        entries.set(key, found);
      }
      return found;
    },
    set(key, artefact) {
      entries.delete(key);
      entries.set(key, artefact);
      while (entries.size > Math.max(1, capacity)) entries.delete(entries.keys().next().value as string);
    },
    get size() {
      return entries.size;
    },
  };
}

export interface ModelClassification {
  intent: string | null;
  confidence: number;
  outOfScope: boolean;
  sentiment: { score: number; label: 'negative' | 'neutral' | 'positive' };
  reasons: string[];
}

/** Loads (or reuses) the model and classifies the text with it. */
export async function classifyWithModel(
  cache: ModelCache,
  store: Store,
  ref: { name: string; version?: number | undefined },
  text: string,
): Promise<ModelClassification> {
  // A pinned version never changes, so only "the newest" needs the store each time (a draft run).
  const version = ref.version ?? (await store.triageModels.latestVersion(ref.name));
  if (version === null)
    throw nonRetryable(
      `no triage model "${ref.name}" is published (baton triage publish MODEL --name ${ref.name})`,
      'TriageModelMissing',
    );
  const key = `${ref.name}@${version}`;
  let artefact = cache.get(key);
  if (!artefact) {
    const stored = await store.triageModels.readFile(ref.name, version);
    if (!stored) throw nonRetryable(`triage model ${key} is not published`, 'TriageModelMissing');
    try {
      artefact = parseTriageArtefact(stored.file);
    } catch (error) {
      throw nonRetryable(
        `triage model ${key} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
        'TriageModelUnreadable',
      );
    }
    cache.set(key, artefact);
  }
  const result = classifyWithArtefact(artefact, text);
  const score = Math.min(1, Math.max(-1, result.sentiment));
  const label = score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral';
  const reasons = [
    result.outOfScope || result.intent === null
      ? `${key}: out of scope (${result.confidence.toFixed(2)})`
      : `${key}: ${result.intent} (${result.confidence.toFixed(2)})`,
    ...result.reasons,
  ];
  return {
    intent: result.outOfScope ? null : result.intent,
    confidence: Math.min(1, Math.max(0, result.confidence)),
    outOfScope: result.outOfScope || result.intent === null,
    sentiment: { score, label },
    reasons,
  };
}
