/** The knowledge base page's data: an article as `GET /api/kb/articles` lists it, and the filters. */
export type Audience = 'customer' | 'internal';

export interface Article {
  articleId: string;
  title: string;
  body: string;
  tags: string[];
  source: string;
  /** `internal`: an agents' procedure, never shown to a customer (absent on old articles: customer). */
  audience?: Audience;
  locale?: string;
  link?: string;
  updatedAt?: string;
}

export interface Hit {
  articleId: string;
  title: string;
  snippet: string;
  score: number;
}

export interface Filters {
  tag: string;
  audience: Audience | '';
}

/** Every tag in use, in alphabetical order, with how many articles carry it. */
export function tagCounts(articles: readonly Article[]): { tag: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const article of articles) for (const tag of new Set(article.tags)) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => a.tag.localeCompare(b.tag));
}

export const audienceOf = (article: Article): Audience => article.audience ?? 'customer';

/**
 * The articles the list shows: the search hits in their ranking when there is a query (else every
 * article, most recently updated first), then only those with the chosen tag and audience.
 */
export function visibleArticles(
  articles: readonly Article[],
  hits: readonly Hit[] | null,
  filters: Filters,
): { article: Article; hit?: Hit }[] {
  const byId = new Map(articles.map((article) => [article.articleId, article]));
  const rows = hits
    ? hits.flatMap((hit) => {
        const article = byId.get(hit.articleId);
        return article ? [{ article, hit }] : [];
      })
    : [...articles]
        .sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '') || a.title.localeCompare(b.title))
        .map((article) => ({ article }));
  return rows.filter(
    ({ article }) =>
      (!filters.tag || article.tags.includes(filters.tag)) &&
      (!filters.audience || audienceOf(article) === filters.audience),
  );
}

/** "5 Dec 2026" for the list; the full time is in the row's tooltip. */
export function shortDate(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export interface Draft {
  title: string;
  body: string;
  tags: string;
  audience: Audience;
  locale: string;
  link: string;
}

export const blankDraft: Draft = { title: '', body: '', tags: '', audience: 'customer', locale: '', link: '' };

export const draftOf = (article: Article): Draft => ({
  title: article.title,
  body: article.body,
  tags: article.tags.join(', '),
  audience: audienceOf(article),
  locale: article.locale ?? '',
  link: article.link ?? '',
});

/** The body the API takes; an empty locale or link is left out (the API keeps the stored one on PUT). */
export function payloadOf(draft: Draft): Record<string, unknown> {
  const tags = [
    ...new Set(
      draft.tags
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
  return {
    title: draft.title,
    body: draft.body,
    tags,
    audience: draft.audience,
    ...(draft.locale.trim() && { locale: draft.locale.trim() }),
    ...(draft.link.trim() && { link: draft.link.trim() }),
  };
}
