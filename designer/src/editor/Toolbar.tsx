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
  counts,
  busy,
  onProblems,
  settingsOpen,
  onSettings,
  onSave,
  onPublish,
}: {
  meta: Draft;
  setMeta: (meta: Draft) => void;
  readOnly: boolean;
  tools: ReactNode;
  dirty: boolean;
  persisted: boolean;
  counts: { errors: number; warnings: number };
  busy: boolean;
  onProblems: () => void;
  settingsOpen: boolean;
  onSettings: () => void;
  onSave: () => void;
  onPublish: () => void;
}) {
  // The problems button is named by the text it shows (what a voice user reads out).
  const errorsText = `${counts.errors} error${counts.errors === 1 ? '' : 's'}`;
  const warningsText = counts.warnings > 0 ? ` · ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}` : '';
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
      {!readOnly && tools}
      <span className="spacer" />
      <button type="button" aria-pressed={settingsOpen} onClick={onSettings} data-testid="journey-settings-toggle">
        Journey settings
      </button>
      <button
        type="button"
        className={`count ${counts.errors ? 'bad' : 'good'}`}
        title="Show or hide the problems"
        aria-label={`Problems: ${errorsText}${warningsText}`}
        onClick={onProblems}
      >
        <span data-testid="error-count">{errorsText}</span>
        {warningsText}
      </button>
      {readOnly ? (
        <span className="muted">read-only version</span>
      ) : (
        <>
          <span className={`state ${dirty ? 'dirty' : ''}`} data-testid="save-state">
            {dirty ? 'unsaved changes' : persisted ? 'saved' : 'not saved yet'}
          </span>
          <button type="button" onClick={onSave} disabled={busy}>
            Save draft
          </button>
          <button
            type="button"
            className="primary"
            onClick={onPublish}
            disabled={busy || counts.errors > 0}
            title={counts.errors ? 'Fix the errors to publish' : 'Publish a new version'}
          >
            Publish…
          </button>
        </>
      )}
    </header>
  );
}
