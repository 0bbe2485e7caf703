/**
 * Answers a customer from the knowledge base (the `answer` node's `baton.answer` activity): customer
 * articles only, filtered by tags and locale, the best one cited. The embedded way is extractive (the
 * passage of the article that answers the question, never invented text); a provider with `answer()`
 * (OpenAI-compatible) generates a reply from the retrieved passages only and must cite one of them,
 * or the answer is `unsure`.
 */
import type { AiProvider } from '../provider';
import { linkOf, termsOf, type KbIndex } from './search';

export interface CustomerAnswerInput {
  question: string;
  tags?: readonly string[];
  locale?: string;
  minConfidence: number;
  customerName?: string;
}

export interface CustomerAnswer {
  status: 'answered' | 'unsure';
  answer: string | null;
  article: { articleId: string; title: string; link: string } | null;
  /** Calibrated relevance 0..1 of the best customer article (0 when none matched). */
  score: number;
  reasons: string[];
}

/** How many customer articles a generating provider reads. */
const passagesForProvider = 3;
const maxAnswerLength = 1200;

/** Paragraphs of an article: blank lines apart; a numbered or bulleted list stays one paragraph. */
function paragraphsOf(body: string): string[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('\n'));
  return `${(end > max / 2 ? head.slice(0, end + 1) : head).trimEnd()}…`;
}

/**
 * The passage that answers the question: the paragraph sharing most of its terms, plus the list it
 * introduces ("follow these steps:" and the steps). Extractive: only the article's own words.
 */
export function passageFor(body: string, question: string, max = maxAnswerLength): string {
  const paragraphs = paragraphsOf(body);
  if (paragraphs.length === 0) return '';
  const wanted = termsOf(question);
  let best = 0;
  let bestOverlap = -1;
  paragraphs.forEach((paragraph, index) => {
    let overlap = 0;
    for (const term of termsOf(paragraph)) if (wanted.has(term)) overlap += 1;
    if (overlap > bestOverlap) {
      best = index;
      bestOverlap = overlap;
    }
  });
  const chosen = [paragraphs[best] as string];
  const previous = paragraphs[best - 1];
  const isList = (text: string) => /^\s*(\d+[.)]|[-*•])\s/.test(text);
  // Steps read with the sentence that introduces them ("To reset your password, follow these steps:").
  if (previous && isList(chosen[0] as string) && /:\s*$/.test(previous)) chosen.unshift(previous);
  const next = paragraphs[best + 1];
  if (
    next &&
    (/:\s*$/.test(chosen[chosen.length - 1] as string) || isList(next)) &&
    !isList(chosen[chosen.length - 1] as string)
  )
    chosen.push(next);
  return cut(chosen.join('\n\n'), max);
}

/** Hits within this share of the best BM25 score count as tied with it. */
export const nearTie = 0.95;

/**
 * BM25 order, except that among hits tied with the first (near-duplicate articles, which lower each
 * other's margin and so their relevance) the most relevant leads. Re-ranking all hits by relevance
 * measured worse (docs/ai.md).
 */
export function rankForAnswer<H extends { score: number; relevance: number }>(hits: readonly H[]): H[] {
  const best = hits[0]?.score ?? 0;
  const tied = hits.filter((hit) => hit.score >= best * nearTie);
  const lead = tied.reduce<H | undefined>((a, b) => (a === undefined || b.relevance > a.relevance ? b : a), undefined);
  return lead ? [lead, ...hits.filter((hit) => hit !== lead)] : [];
}

const unsure = (score: number, reasons: string[]): CustomerAnswer => ({
  status: 'unsure',
  answer: null,
  article: null,
  score,
  reasons,
});

/** Retrieval and answer; never reads an internal article. A failing provider throws (the node takes `unsure`). */
export async function answerCustomer(
  index: KbIndex,
  input: CustomerAnswerInput,
  provider?: Pick<AiProvider, 'name' | 'answer'>,
): Promise<CustomerAnswer> {
  const hits = index.search(input.question, {
    audience: 'customer',
    limit: passagesForProvider,
    ...(input.tags && input.tags.length > 0 && { tags: input.tags }),
    ...(input.locale && { locale: input.locale }),
  });
  const ranked = rankForAnswer(hits);
  const top = ranked[0];
  if (!top) return unsure(0, ['no customer article matches the question']);
  const reasons = [`best article ${top.articleId} (relevance ${top.relevance.toFixed(2)})`];
  if (top.relevance < input.minConfidence)
    return unsure(top.relevance, [`relevance ${top.relevance.toFixed(2)} is below ${input.minConfidence}`, ...reasons]);
  const articles = ranked.flatMap((hit) => {
    const article = index.get(hit.articleId);
    // The index was searched for customers; this guards the invariant should a filter ever change.
    return article && (article.audience ?? 'customer') === 'customer' ? [article] : [];
  });
  const best = articles[0];
  if (!best) return unsure(0, ['no customer article matches the question']);
  const cite = (articleId: string) => {
    const article = articles.find((candidate) => candidate.articleId === articleId) ?? best;
    return { articleId: article.articleId, title: article.title, link: linkOf(article) };
  };

  if (provider?.answer && provider.name !== 'embedded') {
    const passages = articles.map((article) => ({
      articleId: article.articleId,
      title: article.title,
      body: article.body,
    }));
    const generated = await provider.answer(input.question, passages, {
      ...(input.customerName !== undefined && { customerName: input.customerName }),
    });
    const text = (generated.suggestedReply ?? generated.answer)?.trim();
    // Generated only from these passages and citing one of them; anything else is a refusal.
    if (!text || !generated.basedOn || !passages.some((passage) => passage.articleId === generated.basedOn))
      return unsure(top.relevance, [`${provider.name} did not answer from a cited article`, ...reasons]);
    const cited = hits.find((hit) => hit.articleId === generated.basedOn);
    return {
      status: 'answered',
      answer: cut(text, maxAnswerLength),
      article: cite(generated.basedOn),
      score: cited?.relevance ?? top.relevance,
      reasons: [`${provider.name} answered from ${generated.basedOn}`, ...reasons],
    };
  }

  const passage = passageFor(best.body, input.question);
  if (!passage) return unsure(top.relevance, ['the best article is empty', ...reasons]);
  return { status: 'answered', answer: passage, article: cite(best.articleId), score: top.relevance, reasons };
}
