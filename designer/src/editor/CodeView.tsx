import { useEffect, useRef, useState } from 'react';
import { readJourneyText, type JourneyDocument } from './io';

/**
 * The journey file in canonical form, editable. A valid edit goes to the canvas at once; while the
 * text does not parse (or is not a journey), the error is shown with its line and column and the
 * canvas keeps the last valid state. Changes made on the canvas replace the text unless the author
 * is in the middle of an invalid edit.
 */
export function CodeView({
  text,
  onApply,
  onClose,
}: {
  text: string;
  onApply: (journey: JourneyDocument) => void;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<{ message: string; line?: number; column?: number } | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!error) setDraft(text);
    // Only the canvas's text drives this; an invalid draft stays until fixed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  const edit = (next: string) => {
    setDraft(next);
    const read = readJourneyText(next);
    if (!read.ok) {
      setError(read);
      return;
    }
    setError(null);
    onApply(read.journey);
  };
  const jump = () => {
    if (!error?.line || !area.current) return;
    const lines = draft.split('\n');
    const offset = lines.slice(0, error.line - 1).reduce((sum, l) => sum + l.length + 1, 0) + (error.column ?? 1) - 1;
    area.current.focus();
    area.current.setSelectionRange(offset, offset + 1);
  };
  return (
    <section className="code-view" aria-label="journey code" data-testid="code-view">
      <header>
        <b>journey.json</b>{' '}
        <small className="muted">
          canonical form, as <code>baton fmt</code> writes it
        </small>
        <span className="spacer" />
        <button type="button" onClick={onClose} aria-label="close code view">
          ×
        </button>
      </header>
      <textarea
        ref={area}
        aria-label="journey JSON"
        spellCheck={false}
        value={draft}
        onChange={(e) => edit(e.target.value)}
      />
      {error ? (
        <div className="code-error" role="alert" data-testid="code-error">
          {error.line ? (
            <button type="button" className="link" onClick={jump}>
              line {error.line}, column {error.column}
            </button>
          ) : null}{' '}
          {error.message} The canvas keeps the last valid version.
        </div>
      ) : (
        <div className="code-ok muted">In sync with the canvas.</div>
      )}
    </section>
  );
}
