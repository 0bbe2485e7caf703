/**
 * The knowledge base (`#/kb`): search it as the assist does, filter by tag and audience, pick an
 * article from a compact list and edit it beside the list (designers; the API refuses agents' writes
 * with a clear 403). The canned responses sit below.
 */
import { useEffect, useMemo, useState } from 'react';
import { call } from '../api';
import { ArticleEditor } from '../kb/ArticleEditor';
import {
  audienceOf,
  blankDraft,
  draftOf,
  payloadOf,
  shortDate,
  tagCounts,
  visibleArticles,
  type Article,
  type Audience,
  type Draft,
  type Filters,
  type Hit,
} from '../kb/model';
import { CannedResponses } from './CannedResponses';
import { message } from './format';
import './inbox.css';
import '../kb/kb.css';

export function KnowledgeBase() {
  const [articles, setArticles] = useState<Article[] | null>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [filters, setFilters] = useState<Filters>({ tag: '', audience: '' });
  /** The article in the editor: its id, `new`, or none. */
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(blankDraft);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const load = () =>
    call<{ articles: Article[] }>('GET', '/kb/articles').then(
      (r) => setArticles(r.articles),
      (e: unknown) => setError(message(e)),
    );
  useEffect(() => {
    void load();
  }, []);
  const search = async (q = query) => {
    setError(null);
    if (!q.trim()) return setHits(null);
    try {
      setHits((await call<{ hits: Hit[] }>('GET', `/kb/search?q=${encodeURIComponent(q)}&limit=20`)).hits);
    } catch (e) {
      setError(message(e));
    }
  };
  const open = (article: Article | null) => {
    const stored = articles?.find((a) => a.articleId === selected);
    const unsaved =
      selected !== null && JSON.stringify(draft) !== JSON.stringify(stored ? draftOf(stored) : blankDraft);
    if (unsaved && !window.confirm('Discard the changes to this article?')) return;
    setSaved(null);
    setError(null);
    setSelected(article ? article.articleId : 'new');
    setDraft(article ? draftOf(article) : blankDraft);
  };
  const save = async () => {
    setError(null);
    setSaved(null);
    setBusy(true);
    try {
      const current = articles?.find((article) => article.articleId === selected);
      const result =
        selected === 'new' || !current
          ? await call<{ article: Article }>('POST', '/kb/articles', payloadOf(draft))
          : await call<{ article: Article }>('PUT', `/kb/articles/${encodeURIComponent(current.articleId)}`, {
              ...payloadOf(draft),
              source: current.source,
            });
      setSaved(`Saved ${result.article.articleId}`);
      setSelected(result.article.articleId);
      setDraft(draftOf(result.article));
      await load();
      if (query.trim()) await search();
    } catch (e) {
      // The editor keeps what was typed.
      setError(`Not saved: ${message(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!selected || selected === 'new') return;
    setError(null);
    try {
      await call('DELETE', `/kb/articles/${encodeURIComponent(selected)}`);
      setSaved(`Deleted ${draft.title || selected}`);
      setSelected(null);
      await load();
      if (query.trim()) await search();
    } catch (e) {
      setError(message(e));
    }
  };
  const tags = useMemo(() => tagCounts(articles ?? []), [articles]);
  const rows = visibleArticles(articles ?? [], hits, filters);
  const notice = (
    <>
      {error && (
        <span className="error kb-notice" role="alert">
          {error}
        </span>
      )}
      {saved && (
        <span className="good kb-notice" role="status">
          {saved}
        </span>
      )}
    </>
  );
  const filtered = Boolean(hits || filters.tag || filters.audience);
  return (
    <div className="page kb-page">
      <header className="page-head">
        <h1>Baton · Knowledge base</h1>
        <nav>
          <a href="#/">Journeys</a> · <a href="#/inbox">Inbox</a>
        </nav>
      </header>
      <form
        className="kb-toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <input
          type="search"
          aria-label="Search the knowledge base"
          value={query}
          placeholder="Search articles the way the assist does"
          onChange={(e) => {
            setQuery(e.target.value);
            // Clearing the box shows every article again.
            if (!e.target.value.trim()) setHits(null);
          }}
        />
        <button type="submit">Search</button>
        <select aria-label="Tag" value={filters.tag} onChange={(e) => setFilters({ ...filters, tag: e.target.value })}>
          <option value="">All tags</option>
          {tags.map(({ tag, count }) => (
            <option key={tag} value={tag}>
              {tag} ({count})
            </option>
          ))}
        </select>
        <select
          aria-label="Audience filter"
          value={filters.audience}
          onChange={(e) => setFilters({ ...filters, audience: e.target.value as Audience | '' })}
        >
          <option value="">Customers and internal</option>
          <option value="customer">Customers</option>
          <option value="internal">Internal only</option>
        </select>
        <button type="button" className="primary" onClick={() => open(null)}>
          New article
        </button>
      </form>
      <div className="kb-split">
        <section className="kb-list-pane" aria-label="Articles">
          <p className="muted kb-count">
            {!articles && !error
              ? 'Loading…'
              : filtered
                ? `${rows.length} of ${articles?.length ?? 0} articles`
                : `${articles?.length ?? 0} articles`}
            {filtered && (
              <button
                type="button"
                className="kb-link-button"
                onClick={() => {
                  setQuery('');
                  setHits(null);
                  setFilters({ tag: '', audience: '' });
                }}
              >
                Clear
              </button>
            )}
          </p>
          <ul className="kb-list">
            {rows.map(({ article, hit }) => (
              <li key={article.articleId} data-article={article.articleId}>
                <button
                  type="button"
                  className={`kb-row${selected === article.articleId ? ' selected' : ''}`}
                  aria-current={selected === article.articleId ? 'true' : undefined}
                  title={article.updatedAt ? `Updated ${article.updatedAt}` : undefined}
                  onClick={() => open(article)}
                >
                  <span className="kb-row-title">{article.title}</span>
                  <span className={`kb-badge kb-badge-${audienceOf(article)}`}>
                    {audienceOf(article) === 'internal' ? 'Internal' : 'Customer'}
                  </span>
                  <span className="kb-row-meta">
                    {article.tags.map((tag) => (
                      <span key={tag} className="ib-tag">
                        {tag}
                      </span>
                    ))}
                    {article.locale && <span className="muted">{article.locale}</span>}
                    <span className="muted kb-updated">{shortDate(article.updatedAt)}</span>
                  </span>
                  {hit && <span className="kb-snippet muted">{hit.snippet}</span>}
                </button>
              </li>
            ))}
          </ul>
          {articles && rows.length === 0 && <p className="muted">No article matches.</p>}
        </section>
        <section className="kb-editor-pane">
          {selected ? (
            <ArticleEditor
              key={selected}
              articleId={selected === 'new' ? null : selected}
              draft={draft}
              onChange={setDraft}
              onSave={() => void save()}
              onCancel={() => setSelected(null)}
              onDelete={() => void remove()}
              busy={busy}
              notice={notice}
            />
          ) : (
            <>
              {(error || saved) && <p>{notice}</p>}
              <p className="muted kb-empty">Choose an article to read or edit it, or write a new one.</p>
            </>
          )}
        </section>
      </div>
      <CannedResponses />
    </div>
  );
}
