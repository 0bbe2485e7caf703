/**
 * Knowledge-base retrieval: a minisearch index (BM25+, with fuzzy and prefix matching) over the
 * articles, and an extractive answer built from the best ones. Offline and deterministic; the
 * articles live in MongoDB (`kb_articles`) and the caller rebuilds the index when they change.
 *
 * Articles have an audience: `customer` (may be said to a customer) or `internal` (agents'
 * procedures; never shown to a customer). Searches for a customer pass `audience: 'customer'`.
 */
import MiniSearch from 'minisearch';
import { stem, stopwords } from '../text';
import { relevanceOf, termWeights, type TermWeights } from './relevance';

export type KbAudience = 'customer' | 'internal';
export const kbAudiences: readonly KbAudience[] = ['customer', 'internal'];

export interface KbArticle {
  articleId: string;
  title: string;
  body: string;
  tags: string[];
  /** Where the article came from (e.g. `bitext:recover_password#412`, or `designer`). */
  source: string;
  /** Who may read it; `customer` when absent (articles from before audiences existed). */
  audience?: KbAudience;
  /** BCP 47 language tag (`en`, `fr-CA`); any locale when absent. */
  locale?: string;
  /** Where a customer reads the article; `/kb/<articleId>` on the widget when absent. */
  link?: string;
}

export function audienceOf(article: Pick<KbArticle, 'audience'>): KbAudience {
  return article.audience ?? 'customer';
}

/** Where a customer reads an article: its own link, else the widget's `/kb/<id>`. */
export function linkOf(article: Pick<KbArticle, 'articleId' | 'link'>): string {
  return article.link ?? `/kb/${encodeURIComponent(article.articleId)}`;
}

export interface KbHit {
  articleId: string;
  title: string;
  /** The sentences of the article that match the query best. */
  snippet: string;
  /** BM25 score (higher is better; only comparable within one search). */
  score: number;
  /** 0..1, comparable across searches: the calibrated chance that this article answers the query (./relevance.ts). */
  relevance: number;
  tags: string[];
  audience: KbAudience;
}

export interface KbSearchOptions {
  /** At most this many hits; 5 by default. */
  limit?: number;
  /** Only articles for this audience (all when absent). */
  audience?: KbAudience;
  /** Only articles with at least one of these tags (case-insensitive; all when absent or empty). */
  tags?: readonly string[];
  /** Only articles in this locale's language, or without a locale (all when absent). */
  locale?: string;
}

function matchesLocale(article: KbArticle, locale: string | undefined): boolean {
  if (!locale || !article.locale) return true;
  const language = (tag: string) => tag.toLowerCase().split('-')[0];
  return language(article.locale) === language(locale);
}

/** Terms as the index sees them: lower case, no stop words, the triage stemmer (reset/resetting → reset). */
export function kbTerm(term: string): string | null {
  const word = term.toLowerCase();
  if (word.length < 2 || stopwords.has(word)) return null;
  return stem(word);
}

export function sentencesOf(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

/** What an article is about: its title and tags. */
export function headingText(article: Pick<KbArticle, 'title' | 'tags'>): string {
  return `${article.title}\n${article.tags.join(' ').replace(/[_-]/g, ' ')}`;
}

/** What retrieval matches on: title, body and tags. */
export function searchableText(article: KbArticle): string {
  return `${article.title}\n${article.body}\n${article.tags.join(' ').replace(/[_-]/g, ' ')}`;
}

export function termsOf(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
    const term = kbTerm(word);
    if (term) terms.add(term);
  }
  return terms;
}

/** The one or two sentences that share the most query terms, in article order, up to `max` characters. */
export function snippetOf(body: string, query: string, max = 240): string {
  const wanted = termsOf(query);
  const sentences = sentencesOf(body);
  const scored = sentences.map((sentence, index) => {
    let overlap = 0;
    for (const term of termsOf(sentence)) if (wanted.has(term)) overlap += 1;
    return { sentence, index, overlap };
  });
  const best = [...scored].sort((a, b) => b.overlap - a.overlap || a.index - b.index).slice(0, 2);
  const picked = (best.some((entry) => entry.overlap > 0) ? best : scored.slice(0, 1)).sort(
    (a, b) => a.index - b.index,
  );
  const text = picked.map((entry) => entry.sentence).join(' … ');
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export interface KbIndex {
  readonly size: number;
  search(query: string, options?: KbSearchOptions): KbHit[];
  get(articleId: string): KbArticle | undefined;
}

/** Builds the index; cheap (a few milliseconds for hundreds of articles), so rebuilding on change is fine. */
export function createKbIndex(articles: readonly KbArticle[]): KbIndex {
  const byId = new Map(articles.map((article) => [article.articleId, article]));
  const weights: TermWeights = termWeights(articles.map((article) => termsOf(searchableText(article))));
  const articleTerms = new Map(articles.map((article) => [article.articleId, termsOf(searchableText(article))]));
  const headingTerms = new Map(articles.map((article) => [article.articleId, termsOf(headingText(article))]));
  const index = new MiniSearch<KbArticle & { tagText: string }>({
    idField: 'articleId',
    fields: ['title', 'body', 'tagText'],
    storeFields: [],
    processTerm: kbTerm,
    searchOptions: { boost: { title: 3, tagText: 2 }, fuzzy: 0.2, prefix: true, combineWith: 'OR' },
  });
  index.addAll(articles.map((article) => ({ ...article, tagText: article.tags.join(' ').replace(/[_-]/g, ' ') })));
  return {
    size: articles.length,
    get: (articleId) => byId.get(articleId),
    search(query, options = {}) {
      const limit = options.limit ?? 5;
      if (!query.trim()) return [];
      const wantedTags = new Set((options.tags ?? []).map((tag) => tag.toLowerCase()));
      const results = index.search(query, {
        filter: (result) => {
          const article = byId.get(String(result.id));
          if (!article) return false;
          if (options.audience && audienceOf(article) !== options.audience) return false;
          if (wantedTags.size > 0 && !article.tags.some((tag) => wantedTags.has(tag.toLowerCase()))) return false;
          return matchesLocale(article, options.locale);
        },
      });
      const queryTerms = termsOf(query);
      return results.slice(0, limit).flatMap((result, rank) => {
        const article = byId.get(String(result.id));
        if (!article) return [];
        const next = results[rank + 1]?.score ?? 0;
        return [
          {
            articleId: article.articleId,
            title: article.title,
            snippet: snippetOf(article.body, query),
            score: Math.round(result.score * 1000) / 1000,
            relevance: relevanceOf(
              queryTerms,
              articleTerms.get(article.articleId) ?? new Set(),
              weights,
              { score: result.score, next },
              headingTerms.get(article.articleId) ?? new Set(),
            ),
            tags: article.tags,
            audience: audienceOf(article),
          },
        ];
      });
    },
  };
}

export interface ExtractiveAnswer {
  /** A short answer for the agent, from the best article's most relevant sentences; null when nothing matched. */
  answer: string | null;
  /** A reply the agent can send as is or edit: the best article, addressed to the customer. */
  suggestedReply: string | null;
  /** The article the suggestion comes from. */
  basedOn: string | null;
}

/** The first name, for a greeting ("Ada Lovelace" → "Ada"). */
function firstName(name: string | undefined): string | undefined {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first : undefined;
}

/**
 * An extractive answer: no text is invented. The answer is the most relevant sentences of the best
 * passage; the suggested reply is that article's body, greeting the customer by first name.
 */
export function extractiveAnswer(
  question: string,
  passages: readonly { articleId: string; body: string }[],
  customerName?: string,
): ExtractiveAnswer {
  const best = passages[0];
  if (!best) return { answer: null, suggestedReply: null, basedOn: null };
  const name = firstName(customerName);
  const greeting = name ? `Hi ${name},` : 'Hi,';
  return {
    answer: snippetOf(best.body, question, 400),
    suggestedReply: `${greeting}\n\n${best.body.trim()}`,
    basedOn: best.articleId,
  };
}
