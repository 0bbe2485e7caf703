/**
 * The editor pane of the knowledge base page: title, Markdown body with a live preview, audience,
 * tags, locale and link; Delete asks first, in the pane, instead of sitting on every row.
 */
import { useState, type ReactNode } from 'react';
import { Markdown } from './markdown';
import type { Audience, Draft } from './model';

export interface ArticleEditorProps {
  /** `null`: a new article. */
  articleId: string | null;
  draft: Draft;
  onChange: (draft: Draft) => void;
  onSave: () => void;
  onCancel: () => void;
  onDelete: () => void;
  busy: boolean;
  /** What the last save said, shown beside Save so the panes do not move. */
  notice?: ReactNode;
}

export function ArticleEditor(props: ArticleEditorProps) {
  const { articleId, draft, onChange, onSave, onCancel, onDelete, busy, notice } = props;
  const [confirming, setConfirming] = useState(false);
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  return (
    <form
      className="kb-editor"
      aria-label="Article"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <div className="kb-editor-head">
        <h2>{articleId ? 'Edit article' : 'New article'}</h2>
        {articleId && <code className="muted">{articleId}</code>}
      </div>
      <label className="field">
        <span>Title</span>
        <input aria-label="Title" value={draft.title} onChange={(e) => set({ title: e.target.value })} />
      </label>
      <div className="kb-meta">
        <label className="field">
          <span>Audience</span>
          <select
            aria-label="Audience"
            value={draft.audience}
            onChange={(e) => set({ audience: e.target.value as Audience })}
          >
            <option value="customer">Customer</option>
            <option value="internal">Internal: agents only</option>
          </select>
          <small className="muted kb-hint">
            {draft.audience === 'internal' ? 'Never shown to a customer.' : 'Customers may be told it.'}
          </small>
        </label>
        <label className="field">
          <span>Tags, comma separated</span>
          <input aria-label="Tags" value={draft.tags} onChange={(e) => set({ tags: e.target.value })} />
        </label>
        <label className="field kb-narrow">
          <span>Locale</span>
          <input
            aria-label="Locale"
            placeholder="en, fr-CA"
            value={draft.locale}
            onChange={(e) => set({ locale: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Link for customers</span>
          <input
            aria-label="Link"
            placeholder="https://… or /path"
            value={draft.link}
            onChange={(e) => set({ link: e.target.value })}
          />
        </label>
      </div>
      <div className="kb-body">
        <label className="field">
          <span>Body (Markdown)</span>
          <textarea aria-label="Body" value={draft.body} onChange={(e) => set({ body: e.target.value })} />
        </label>
        <section className="field kb-preview-wrap" aria-label="Preview">
          <span>Preview</span>
          <div className="kb-preview" data-testid="kb-preview">
            {draft.body.trim() ? <Markdown source={draft.body} /> : <p className="muted">Nothing to preview yet.</p>}
          </div>
        </section>
      </div>
      <div className="ib-row kb-actions">
        <button type="submit" className="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        {notice}
        <span className="kb-spacer" />
        {articleId &&
          (confirming ? (
            <span className="kb-confirm" role="group" aria-label="Confirm delete">
              Delete this article for everyone?{' '}
              <button
                type="button"
                className="kb-danger"
                onClick={() => {
                  setConfirming(false);
                  onDelete();
                }}
              >
                Yes, delete
              </button>{' '}
              <button type="button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </span>
          ) : (
            <button type="button" className="kb-delete" onClick={() => setConfirming(true)}>
              Delete…
            </button>
          ))}
      </div>
    </form>
  );
}
