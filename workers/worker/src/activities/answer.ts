/**
 * `baton.answer`: the `answer` node's knowledge-base answer (engine/core/src/kinds/answer/step.ts).
 * Reads the articles from `kb_articles` (the index is rebuilt when their stamp changes), searches the
 * customer-facing ones only and answers through @baton/ai's `answerCustomer`: extractive with the
 * embedded provider, generated from the retrieved passages (and citing one) with a provider that answers.
 */
import { answerContract } from '@baton/schemas';
import { KbStore, kbCollection, type Store } from '@baton/store';
import { defineActivity } from '@baton/activity-sdk';
import { answerCustomer, createKbIndex, type KbIndex } from '@baton/ai/kb';

/** One index per store, rebuilt when the articles change (the stamp is one small query). */
function indexReader() {
  const cache = new WeakMap<Store, { stamp: string; index: KbIndex }>();
  return async function indexFor(store: Store): Promise<KbIndex> {
    const articles = new KbStore(store.collection(kbCollection).db);
    const stamp = await articles.stamp();
    const cached = cache.get(store);
    if (cached?.stamp === stamp) return cached.index;
    const index = createKbIndex(await articles.list());
    cache.set(store, { stamp, index });
    return index;
  };
}

export function createAnswerActivity() {
  const indexFor = indexReader();
  return defineActivity({
    ...answerContract,
    builtin: true,
    async run(input, ctx) {
      const index = await indexFor(ctx.store);
      return answerCustomer(
        index,
        {
          question: input.question,
          minConfidence: input.minConfidence,
          ...(input.tags && { tags: input.tags }),
          ...(input.customerName !== undefined && { customerName: input.customerName }),
          ...(input.locale !== undefined && { locale: input.locale }),
        },
        ctx.ai,
      );
    },
  });
}

export const answerActivity = createAnswerActivity();
