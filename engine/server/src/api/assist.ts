/**
 * The agent's assist: an answer and a suggested customer reply from the knowledge base. Internal
 * articles (agents' procedures) never feed the suggested reply: the reply is drawn from customer
 * articles only, and internal hits come back apart, labelled, as guidance for the agent alone.
 */
import type { KbAnswer, KbPassage } from '@baton/ai';
import { sentencesOf, type KbHit, type KbIndex } from '@baton/ai/kb';
import type { AssistProvider } from './knowledge';

export interface AssistResult {
  sources: { articleId: string; title: string; snippet: string; score: number; audience: 'customer' }[];
  /** Internal articles that match: for the agent's eyes, never to be sent. */
  internalGuidance: { articleId: string; title: string; snippet: string; score: number; audience: 'internal' }[];
  answer: string | null;
  suggestedReply: string | null;
  basedOn: string | null;
  provider: string;
}

/** Sentences long enough to be telling; a reply quoting one of an internal article's is refused. */
const telling = 40;

/** Whether the text repeats a sentence of an internal article (a last guard, whatever the provider wrote). */
export function quotesInternal(text: string, internal: readonly { body: string }[]): boolean {
  const normalized = text.replace(/\s+/g, ' ').toLowerCase();
  return internal.some((article) =>
    sentencesOf(article.body).some(
      (sentence) => sentence.length >= telling && normalized.includes(sentence.replace(/\s+/g, ' ').toLowerCase()),
    ),
  );
}

export async function assistAnswer(
  index: KbIndex,
  question: string,
  context: { customerName?: string },
  providers: { preferred: AssistProvider; embedded: AssistProvider; log: (message: string, error?: unknown) => void },
): Promise<AssistResult> {
  const customerHits = index.search(question, { limit: 5, audience: 'customer' });
  const internalHits = index.search(question, { limit: 3, audience: 'internal' });
  const passages: KbPassage[] = customerHits.flatMap((hit) => {
    const article = index.get(hit.articleId);
    return article ? [{ articleId: article.articleId, title: article.title, body: article.body }] : [];
  });
  let provider = providers.preferred.answer ? providers.preferred : providers.embedded;
  let answer: KbAnswer;
  try {
    answer = await provider.answer!(question, passages, context);
  } catch (error) {
    // A failing model never leaves the agent without an answer: the extractive one stands in.
    providers.log(`assist provider ${provider.name} failed; using the embedded answer`, error);
    provider = providers.embedded;
    answer = await provider.answer!(question, passages, context);
  }
  const internalArticles = internalHits.flatMap((hit) => {
    const article = index.get(hit.articleId);
    return article ? [article] : [];
  });
  const leaks = (text: string | null) => text !== null && quotesInternal(text, internalArticles);
  if (leaks(answer.suggestedReply) || leaks(answer.answer)) {
    providers.log(`assist provider ${provider.name} quoted an internal article; its reply is withheld`);
    answer = { answer: null, suggestedReply: null, basedOn: null };
  }
  const source = (hit: KbHit) => ({
    articleId: hit.articleId,
    title: hit.title,
    snippet: hit.snippet,
    score: hit.score,
  });
  return {
    sources: customerHits.map((hit) => ({ ...source(hit), audience: 'customer' as const })),
    internalGuidance: internalHits.map((hit) => ({ ...source(hit), audience: 'internal' as const })),
    answer: answer.answer,
    suggestedReply: answer.suggestedReply,
    basedOn: answer.basedOn,
    provider: provider.name,
  };
}
