/**
 * `baton.classify`: intent and sentiment of the customer's message (core/steps/classify.ts), through
 * the worker's AI provider, with the corrections agents made in the inbox (MongoDB
 * `intent_corrections`) as labelled examples of the declared intents; or, when the node names a
 * published triage model, with that model (./triage-models.ts).
 */
import { z } from 'zod';
import { classifyContract } from '@baton/schemas';
import type { Store } from '@baton/store';
import { defineActivity } from '@baton/activity-sdk';
import { settleClassification, type IntentExamples } from '@baton/ai';
import { classifyWithModel, triageModelCache } from './triage-models';

/** The inbox writes these when an agent corrects the bot's intent (see the inbox routes). */
const CorrectionRow = z.looseObject({
  text: z.string().min(1).max(4000),
  intent: z.string().min(1).max(64),
  at: z.union([z.number(), z.date()]).optional(),
});

export const correctionsCollection = 'intent_corrections';
/** Per declared intent, the newest corrections used. */
const correctionsPerIntent = 50;

type CorrectionsByIntent = Map<string, string[]>;

/**
 * A short cache per store and intent list, so a busy worker does not read the collection for every
 * message. A read that has not answered within `readMs` (MongoDB down: the driver waits for a server
 * far longer than the node's bound) gives the last corrections read, or fails; the read goes on and
 * fills the cache when it answers.
 */
function correctionReader(cacheMs: number, readMs: number) {
  const caches = new WeakMap<Store, Map<string, { readAt: number; corrections: CorrectionsByIntent }>>();
  return async function correctionsFor(
    store: Store,
    journeyId: string | undefined,
    names: readonly string[],
  ): Promise<CorrectionsByIntent> {
    const key = [journeyId ?? '', ...[...names].sort()].join('\u0000');
    let cache = caches.get(store);
    if (!cache) {
      cache = new Map();
      caches.set(store, cache);
    }
    const cached = cache.get(key);
    if (cached && Date.now() - cached.readAt < cacheMs) return cached.corrections;
    const cacheOf = cache;
    const read = readCorrections(store, journeyId, names).then((corrections) => {
      cacheOf.set(key, { readAt: Date.now(), corrections });
      if (cacheOf.size > 256) cacheOf.delete(cacheOf.keys().next().value as string);
      return corrections;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), readMs);
    });
    try {
      const answered = await Promise.race([read, late]);
      if (answered) return answered;
      read.catch(() => undefined);
      if (cached) return cached.corrections;
      throw new Error(`not read within ${readMs} ms`);
    } catch (error) {
      if (cached) return cached.corrections;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}

async function readCorrections(
  store: Store,
  journeyId: string | undefined,
  names: readonly string[],
): Promise<CorrectionsByIntent> {
  const rows = await store
    .collection(correctionsCollection)
    // Intent names mean something within one journey ("yes" at one node is not "yes" everywhere).
    .find(
      { ...(journeyId !== undefined && { journeyId }), intent: { $in: [...names] } },
      { projection: { _id: 0, text: 1, intent: 1, at: 1 } },
    )
    .sort({ at: -1 })
    .limit(correctionsPerIntent * names.length)
    .toArray();
  const corrections: CorrectionsByIntent = new Map();
  const seen = new Set<string>();
  for (const raw of rows) {
    const row = CorrectionRow.safeParse(raw);
    if (!row.success) continue;
    // The newest label of a text wins (rows come newest first).
    const text = row.data.text.trim().toLowerCase();
    if (seen.has(text)) continue;
    seen.add(text);
    const list = corrections.get(row.data.intent) ?? [];
    if (list.length < correctionsPerIntent) list.push(row.data.text);
    corrections.set(row.data.intent, list);
  }
  return corrections;
}

export interface ClassifyActivityOptions {
  /** How long corrections read from MongoDB are reused; 10 s by default. */
  correctionsCacheMs?: number;
  /** How long a classification waits for the corrections before it goes on without them; 1 s by default. */
  correctionsReadMs?: number;
  /** How many published triage models (name@version) a worker keeps parsed; 8 by default. */
  modelCacheSize?: number;
}

export function createClassifyActivity(options: ClassifyActivityOptions = {}) {
  const correctionsFor = correctionReader(options.correctionsCacheMs ?? 10_000, options.correctionsReadMs ?? 1_000);
  const models = triageModelCache(options.modelCacheSize ?? 8);
  return defineActivity({
    ...classifyContract,
    builtin: true,
    async run(input, ctx) {
      if (input.model) return classifyWithModel(models, ctx.store, input.model, input.text);
      const names = input.intents.map((intent) => intent.name);
      let corrections: CorrectionsByIntent = new Map();
      try {
        corrections = await correctionsFor(ctx.store, input.journeyId, names);
      } catch (error) {
        // Corrections improve the answer; without them the customer still gets one.
        ctx.log.warn(`intent corrections unavailable: ${error instanceof Error ? error.message : String(error)}`);
      }
      const intents: IntentExamples[] = input.intents.map((intent) => ({
        name: intent.name,
        examples: intent.examples,
        ...(intent.description !== undefined && { description: intent.description }),
        ...(intent.modelIntents !== undefined && { modelIntents: intent.modelIntents }),
        ...(corrections.has(intent.name) && { corrections: corrections.get(intent.name) }),
      }));
      return settleClassification(await ctx.ai.classify(input.text, intents), names, input.minConfidence);
    },
  });
}

export { settleClassification };

export const classifyActivity = createClassifyActivity();
