import type { ReactNode } from 'react';
import type { Draft } from '../model';

/** The editor's top bar: the journey's name and id, the tools, the save state, Save draft and Publish. */
export function Toolbar({
  meta,
  setMeta,
  readOnly,
  tools,
  dirty,
  persisted,
  errorCount,
  busy,
  onSave,
  onPublish,
}: {
  meta: Draft;
  setMeta: (meta: Draft) => void;
  readOnly: boolean;
  tools: ReactNode;
  dirty: boolean;
  persisted: boolean;
  errorCount: number;
  busy: boolean;
  onSave: () => void;
  onPublish: () => void;
}) {
  return (
    <header className="toolbar">
      <a href="#/journeys" className="back">
        ← Journeys
      </a>
      <input
        className="name"
        aria-label="journey name"
        readOnly={readOnly}
        value={meta.name}
        onChange={(e) => setMeta({ ...meta, name: e.target.value })}
      />
      <code className="muted" title="journey id (stable, generated)">
        {meta.id}
      </code>
      {tools}
      <span className="spacer" />
      <span className={`state ${dirty ? 'dirty' : ''}`} data-testid="save-state">
        {dirty ? 'unsaved changes' : persisted ? 'saved' : 'not saved yet'}
      </span>
      <span className={`count ${errorCount ? 'bad' : 'good'}`} data-testid="error-count">
        {errorCount} error{errorCount === 1 ? '' : 's'}
      </span>
      <button type="button" onClick={onSave} disabled={busy}>
        Save draft
      </button>
      <button
        type="button"
        className="primary"
        onClick={onPublish}
        disabled={busy || errorCount > 0}
        title={errorCount ? 'Fix the errors to publish' : 'Publish a new version'}
      >
        Publish
      </button>
    </header>
  );
}
