import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import type { Journey } from '@baton/schemas';
import type { Edge } from '@xyflow/react';
import { api, auth } from '../api';
import { toJourney, type Draft, type FlowNode } from '../model';
import { PublishChangesView, usePublishChanges } from './PublishChanges';

/** Who publishes: the signed-in user's name, else their email (the server keeps it on the version). */
export function signedInAuthor(): string | undefined {
  const user = auth.current();
  if (!user || user.userId === 'open') return undefined;
  return user.name || user.email || undefined;
}

/**
 * Asks for the version's message (required), shows who publishes and what changed since the latest
 * version (or that nothing did) before publishing.
 */
export function PublishDialog({
  journeyId,
  draft,
  saveFirst,
  onPublish,
  onCancel,
}: {
  journeyId: string;
  draft: () => Journey;
  saveFirst: boolean;
  onPublish: (message: string) => void;
  onCancel: () => void;
}) {
  const [message, setMessage] = useState('');
  const changes = usePublishChanges(journeyId, draft);
  const author = signedInAuthor();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (message.trim()) onPublish(message.trim());
  };
  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <form
        className="modal publish-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="publish"
        data-testid="publish-dialog"
        onSubmit={submit}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      >
        <h2>Publish a new version</h2>
        <PublishChangesView changes={changes} />
        <label className="field">
          <span>
            What changed <span className="required">*</span>
          </span>
          <textarea
            name="publish-message"
            rows={3}
            required
            autoFocus
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder="e.g. Ask for the order number before the refund"
          />
        </label>
        <p className="muted">
          Author: <b data-testid="publish-author">{author ?? 'access control is off: no author is recorded'}</b>
          {saveFirst ? ' · the unsaved changes are saved first.' : ''}
        </p>
        <footer className="dialog-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!message.trim()}>
            Publish
          </button>
        </footer>
      </form>
    </div>
  );
}

type Status = { kind: 'info' | 'error' | 'ok'; text: string };

/**
 * Publish asks first (the dialog), saves unsaved work, then publishes with the message and author; the
 * server answers `created: false` when the draft is the latest version already, which is said as such.
 */
export function usePublish({
  meta,
  latestDraft,
  unsaved,
  save,
  setBusy,
  setStatus,
}: {
  meta: Draft | null;
  /** The draft's nodes and edges now (saved or not), compared with the latest version when the dialog opens. */
  latestDraft: { current: { nodes: FlowNode[]; edges: Edge[] } };
  unsaved: boolean;
  save: () => Promise<boolean>;
  setBusy: (busy: boolean) => void;
  setStatus: (status: Status) => void;
}): { open: () => void; dialog: ReactNode } {
  const [asking, setAsking] = useState(false);
  const journeyId = meta?.id;
  const draft = useCallback(
    () => toJourney(meta!, latestDraft.current.nodes, latestDraft.current.edges) as unknown as Journey,
    [meta, latestDraft],
  );
  const publish = useCallback(
    async (message: string) => {
      setAsking(false);
      if (!journeyId) return;
      if (unsaved && !(await save())) return;
      setBusy(true);
      try {
        const author = signedInAuthor();
        const r = await api.publish(journeyId, { message, ...(author && { author }) });
        setStatus(
          r.created
            ? { kind: 'ok', text: `Published ${r.ref}` }
            : { kind: 'info', text: `No changes since v${r.version}: nothing new was published.` },
        );
      } catch (e) {
        setStatus({ kind: 'error', text: `Publish failed: ${(e as Error).message}` });
      } finally {
        setBusy(false);
      }
    },
    [journeyId, unsaved, save, setBusy, setStatus],
  );
  const open = useCallback(() => setAsking(true), []);
  const dialog =
    asking && journeyId ? (
      <PublishDialog
        journeyId={journeyId}
        draft={draft}
        saveFirst={unsaved}
        onPublish={(m) => void publish(m)}
        onCancel={() => setAsking(false)}
      />
    ) : null;
  return { open, dialog };
}
