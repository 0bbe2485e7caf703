/**
 * The knowledge base (`#/kb`): search it as the assist does, and (designers) write, edit and delete
 * articles. Agents read; the API refuses their writes with a clear 403.
 */
import { useEffect, useState } from 'react';
import { call } from '../api';
import { CannedResponses } from './CannedResponses';
import './inbox.css';

interface Article {
  articleId: string;
  title: string;
  body: string;
  tags: string[];
  source: string;
  /** `internal`: an agents' procedure, never shown to a customer (absent on old articles: customer). */
  audience?: 'customer' | 'internal';
}
interface Hit {
  articleId: string;
  title: string;
  snippet: string;
  score: number;
}

type Audience = 'customer' | 'internal';
const blank: { title: string; body: string; tags: string; audience: Audience } = {
  title: '',
  body: '',
  tags: '',
  audience: 'customer',
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function KnowledgeBase() {
  const [articles, setArticles] = useState<Article[] | null>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState(blank);
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
  const search = async () => {
    setError(null);
    if (!query.trim()) return setHits(null);
    try {
      setHits((await call<{ hits: Hit[] }>('GET', `/kb/search?q=${encodeURIComponent(query)}`)).hits);
    } catch (e) {
      setError(message(e));
    }
  };
  const edit = (article: Article | null) => {
    setSaved(null);
    setError(null);
    setEditing(article ? article.articleId : 'new');
    setForm(
      article
        ? {
            title: article.title,
            body: article.body,
            tags: article.tags.join(', '),
            audience: article.audience ?? 'customer',
          }
        : blank,
    );
  };
  const save = async () => {
    setError(null);
    const body = {
      title: form.title,
      body: form.body,
      tags: form.tags
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
      audience: form.audience,
    };
    try {
      const current = articles?.find((article) => article.articleId === editing);
      const result =
        editing === 'new'
          ? await call<{ article: Article }>('POST', '/kb/articles', body)
          : await call<{ article: Article }>('PUT', `/kb/articles/${encodeURIComponent(editing ?? '')}`, {
              ...body,
              source: current?.source ?? 'designer',
            });
      setSaved(`Saved ${result.article.articleId}`);
      setEditing(null);
      await load();
      if (query.trim()) await search();
    } catch (e) {
      // The form keeps what was typed.
      setError(`Not saved: ${message(e)}`);
    }
  };
  const remove = async (articleId: string) => {
    if (!window.confirm(`Delete ${articleId}?`)) return;
    try {
      await call('DELETE', `/kb/articles/${encodeURIComponent(articleId)}`);
      setSaved(`Deleted ${articleId}`);
      await load();
      if (query.trim()) await search();
    } catch (e) {
      setError(message(e));
    }
  };
  const shown = hits
    ? hits.map((hit) => ({ hit, article: articles?.find((a) => a.articleId === hit.articleId) }))
    : (articles ?? []).map((article) => ({ hit: null, article }));
  return (
    <div className="page ib-kb">
      <header className="page-head">
        <h1>Baton · Knowledge base</h1>
        <nav>
          <a href="#/">Journeys</a> · <a href="#/inbox">Inbox</a>
        </nav>
      </header>
      <form
        className="ib-row"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <input
          aria-label="Search the knowledge base"
          value={query}
          placeholder="Search, as the assist does (BM25, typos welcome)"
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="primary">
          Search
        </button>
        <button type="button" onClick={() => edit(null)}>
          New article
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {saved && <p className="good">{saved}</p>}
      {editing && (
        <form
          className="ib-kb-form"
          aria-label="Article"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h2>{editing === 'new' ? 'New article' : `Edit ${editing}`}</h2>
          <label className="field">
            <span>Title</span>
            <input
              aria-label="Title"
              value={form.title}
              onChange={(e) => setForm({ ...form, title: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Body</span>
            <textarea
              aria-label="Body"
              rows={8}
              value={form.body}
              onChange={(e) => setForm({ ...form, body: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Tags (comma separated)</span>
            <input aria-label="Tags" value={form.tags} onChange={(e) => setForm({ ...form, tags: e.target.value })} />
          </label>
          <label className="field">
            <span>Audience</span>
            <select
              aria-label="Audience"
              value={form.audience}
              onChange={(e) => setForm({ ...form, audience: e.target.value as Audience })}
            >
              <option value="customer">Customers (the answer node and the assist may say it)</option>
              <option value="internal">Internal: agents only, never shown to a customer</option>
            </select>
          </label>
          <div className="ib-row">
            <button type="submit" className="primary">
              Save
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {!articles && !error && <p className="muted">Loading…</p>}
      <p className="muted">{hits ? `${hits.length} found` : `${articles?.length ?? 0} articles`}</p>
      <ul className="ib-kb-list">
        {shown.map(({ hit, article }) => (
          <li key={hit?.articleId ?? article?.articleId} data-article={hit?.articleId ?? article?.articleId}>
            <strong>{hit?.title ?? article?.title}</strong>{' '}
            <code className="muted">{hit?.articleId ?? article?.articleId}</code>
            {article?.audience === 'internal' && <span className="ib-tag ib-prio-high">internal: agents only</span>}
            {hit && <span className="muted"> score {hit.score.toFixed(1)}</span>}
            <div>
              {hit
                ? hit.snippet
                : `${article?.body.slice(0, 200) ?? ''}${(article?.body.length ?? 0) > 200 ? '…' : ''}`}
            </div>
            {article && (
              <div className="muted">
                {article.tags.join(', ')} · {article.source}{' '}
                <button type="button" onClick={() => edit(article)}>
                  Edit
                </button>{' '}
                <button type="button" onClick={() => void remove(article.articleId)}>
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <CannedResponses />
    </div>
  );
}
