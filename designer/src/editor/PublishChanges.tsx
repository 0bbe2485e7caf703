import { useEffect, useState } from 'react';
import { diffJourneys } from '@baton/core/compiler';
import type { Journey } from '@baton/schemas';
import { versionsApi } from '../versions/VersionsPanel';
import { diffCanvas, type DiffEntry } from '../versions/diffCanvas';

/** What publishing the draft would change, against the latest published version (what the server compares). */
export type PublishChanges =
  | { state: 'loading' }
  | { state: 'first' }
  | { state: 'none'; version: number; layoutOnly: boolean }
  | { state: 'changed'; version: number; entries: DiffEntry[]; envelope: string[] }
  | { state: 'error'; message: string };

/**
 * The draft's changes since the latest version, from the same semantic diff as "Versions & diff".
 * Nothing but layout changed: the server would answer "no changes since vN" (its hash leaves the
 * layout out), which the dialog says before anyone publishes.
 */
export function comparePublish(latest: { version: number; source: Journey }, draft: Journey): PublishChanges {
  const diff = diffJourneys(latest.source, draft);
  // The version number and $schema differ by nature; name, description and the rest count (the hash has them).
  const envelope = diff.envelope
    .map((change) => change.field)
    .filter((field) => !['$schema', 'version'].includes(field.split('.')[0] ?? ''));
  if (!diff.logicChanged) return { state: 'none', version: latest.version, layoutOnly: diff.layoutChanged };
  return {
    state: 'changed',
    version: latest.version,
    entries: diffCanvas(latest.source, draft, diff).entries,
    envelope,
  };
}

export function usePublishChanges(journeyId: string, draft: () => Journey): PublishChanges {
  const [changes, setChanges] = useState<PublishChanges>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    (async () => {
      const versions = await versionsApi.list(journeyId);
      const newest = versions.reduce((n, v) => Math.max(n, v.version), 0);
      if (newest === 0) return { state: 'first' } as const;
      const latest = await versionsApi.get(journeyId, newest);
      return comparePublish({ version: newest, source: latest.source }, draft());
    })().then(
      (answer) => live && setChanges(answer),
      (e: Error) => live && setChanges({ state: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
    // The draft as the dialog opened: it is modal, nothing edits the canvas meanwhile.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [journeyId]);
  return changes;
}

/** The dialog's summary of the changes: one line per node or edge, the fields that changed. */
export function PublishChangesView({ changes }: { changes: PublishChanges }) {
  switch (changes.state) {
    case 'loading':
      return <p className="muted">Comparing with the latest version…</p>;
    case 'first':
      return <p className="muted">The first version of this journey.</p>;
    case 'error':
      return <p className="error">Could not compare with the latest version: {changes.message}</p>;
    case 'none':
      return (
        <p className="publish-nochange" role="status" data-testid="publish-nochange">
          No changes since v{changes.version}
          {changes.layoutOnly ? ' (only the layout moved)' : ''}: publishing makes no new version.
        </p>
      );
    case 'changed':
      return (
        <div className="publish-changes" data-testid="publish-changes">
          <h3>Changes since v{changes.version}</h3>
          <ul>
            {changes.envelope.map((field) => (
              <li key={field} className="changed">
                <b>changed</b> journey <code>{field}</code>
              </li>
            ))}
            {changes.entries.map((entry, i) => (
              <li key={i} className={entry.kind}>
                <b>{entry.kind}</b> {entry.what} <code>{entry.label}</code>
                {entry.changes.length > 0 && (
                  <span className="muted"> · {entry.changes.map((c) => c.field).join(', ')}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      );
  }
}
