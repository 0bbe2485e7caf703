import { useEffect, useState } from 'react';
import type { ActivityManifest } from '@baton/schemas';
import { call } from '../api';
import type { Draft } from '../model';
import type { CanvasControls } from '../overlay/canvasView';
import { versionsApi, type VersionRow } from '../versions/VersionsPanel';
import { compileDraft } from './SimulatorPanel';
import { replayConversation, replayDecoration, type RealConversation, type ReplayResult } from './replay';

interface ConversationRow {
  conversationId: string;
  status: string;
  nodeId: string | null;
  outcome: string | null;
  updatedAt: number | null;
  messages: number | null;
}

export function ReplayPanel({
  canvas,
  meta,
  activities,
  active,
}: {
  canvas: CanvasControls;
  meta: Draft;
  activities: ActivityManifest[];
  active: boolean;
}) {
  const [versions, setVersions] = useState<VersionRow[]>([]);
  const [version, setVersion] = useState<number | null>(null);
  const [rows, setRows] = useState<ConversationRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [replayed, setReplayed] = useState<{ result: ReplayResult; real: RealConversation } | null>(null);

  useEffect(() => {
    if (!active) return;
    let stale = false;
    versionsApi.list(meta.id).then(
      (list) => {
        if (stale) return;
        setVersions(list);
        setVersion((v) => v ?? list[0]?.version ?? null);
      },
      (e: Error) => !stale && setError(e.message),
    );
    return () => {
      stale = true;
    };
  }, [active, meta.id]);

  // The rows of the version on screen only: an answer for a version picked before arrives late and is dropped.
  useEffect(() => {
    if (!active || version === null) return;
    let stale = false;
    setRows(null);
    call<{ conversations: ConversationRow[] }>(
      'GET',
      `/journeys/${encodeURIComponent(meta.id)}/versions/${version}/conversations?limit=50`,
    ).then(
      (r) => !stale && setRows(r.conversations),
      (e: Error) => !stale && setError(e.message),
    );
    return () => {
      stale = true;
    };
  }, [active, version, meta.id]);

  useEffect(() => {
    if (!active) return;
    canvas.decorate(replayed ? replayDecoration(replayed.result, replayed.real) : null);
  }, [active, replayed, canvas]);

  const replay = async (conversationId: string) => {
    setError(null);
    const compiled = compileDraft(canvas, meta, activities);
    if (!compiled.journey) {
      setError(`Fix the draft's errors first: ${compiled.errors.map((d) => d.message).join('; ')}`);
      return;
    }
    try {
      const { conversation } = await call<{ conversation: RealConversation }>(
        'GET',
        `/conversations/${encodeURIComponent(conversationId)}`,
      );
      setReplayed({ result: replayConversation(compiled.journey, conversation, activities), real: conversation });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="replay" data-testid="replay">
      <p className="hint">
        Replays a real conversation's customer messages through the draft. Grey: the path it really took; blue: where
        the draft goes instead; green: both.
      </p>
      {error && <p className="err">{error}</p>}
      {versions.length === 0 && !error && (
        <p className="hint">Publish a version and run conversations on it to replay them here.</p>
      )}
      {versions.length > 0 && (
        <div className="row">
          Version
          <select
            aria-label="replay version"
            value={version ?? ''}
            onChange={(e) => setVersion(Number(e.target.value))}
            style={{ width: 'auto' }}
          >
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
              </option>
            ))}
          </select>
        </div>
      )}
      {rows && rows.length === 0 && <p className="hint">No conversations on this version yet.</p>}
      <ul className="versions-list">
        {rows?.map((row) => (
          <li key={row.conversationId}>
            <div className="row">
              <code title={row.conversationId}>{row.conversationId.slice(0, 18)}</code>
              <span className="hint">
                {row.status === 'ended' ? `ended ${row.outcome ?? ''}` : `at ${row.nodeId ?? '?'}`}
              </span>
              <span style={{ flex: 1 }} />
              <button type="button" onClick={() => void replay(row.conversationId)} data-testid="replay-run">
                Replay
              </button>
            </div>
          </li>
        ))}
      </ul>
      {replayed && (
        <div data-testid="replay-result">
          <h3>
            {replayed.result.splitAt === null
              ? 'The draft takes the same path.'
              : `The paths split at step ${replayed.result.splitAt + 1}.`}
          </h3>
          <table className="hint">
            <thead>
              <tr>
                <th>real</th>
                <th>draft</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: Math.max(replayed.result.real.length, replayed.result.draft.length) }, (_, i) => (
                <tr
                  key={i}
                  style={
                    replayed.result.splitAt !== null && i >= replayed.result.splitAt ? { color: '#b3261e' } : undefined
                  }
                >
                  <td>
                    <code>{replayed.result.real[i] ?? ''}</code>
                  </td>
                  <td>
                    <code>{replayed.result.draft[i] ?? ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {replayed.result.notes.map((n, i) => (
            <p key={i} className="hint">
              {n}
            </p>
          ))}
          <button type="button" onClick={() => setReplayed(null)}>
            Clear
          </button>
        </div>
      )}
    </div>
  );
}
