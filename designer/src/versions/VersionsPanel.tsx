import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useReactFlow } from '@xyflow/react';
import { diffJourneys, type FieldChange } from '@baton/core/compiler';
import type { Journey } from '@baton/schemas';
import { call } from '../api';
import { fromJourney, toJourney, type Draft, type FlowNode } from '../model';
import type { CanvasControls } from '../overlay/canvasView';
import { diffCanvas, type DiffEntry } from './diffCanvas';
import { useLatestRequest } from '../latest';
import { openView } from '../editor/viewport';

export interface VersionRow {
  version: number;
  hash: string;
  name: string;
  publishedAt: string;
  author?: string;
  message?: string;
}

interface NodeOverlay {
  waiting: number;
  entered: number;
  ended: number;
  droppedOff: number;
}

export interface OverlayAnswer {
  conversations: number;
  active: number;
  truncated: boolean;
  nodes: Record<string, NodeOverlay>;
  /** The version's conversations in the Temporal UI (by BatonJourneyId and BatonJourneyVersion), when the API knows it. */
  temporalUrl?: string;
}

export const versionsApi = {
  list: (id: string) =>
    call<{ versions: VersionRow[] }>('GET', `/journeys/${encodeURIComponent(id)}/versions`).then((r) => r.versions),
  get: (id: string, version: number) =>
    call<{ source: Journey; version: number }>('GET', `/journeys/${encodeURIComponent(id)}/versions/${version}`),
  overlay: (id: string, version: number) =>
    call<OverlayAnswer>('GET', `/journeys/${encodeURIComponent(id)}/versions/${version}/overlay`),
};

const short = (value: unknown) => {
  const text = value === undefined ? '—' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** Badges of the live overlay: waiting now, ended here, dropped off here. */
export function overlayBadges(overlay: OverlayAnswer): Record<string, ReactNode> {
  const badges: Record<string, ReactNode> = {};
  for (const [id, n] of Object.entries(overlay.nodes)) {
    if (!n.waiting && !n.ended && !n.droppedOff) continue;
    badges[id] = (
      <>
        {n.waiting > 0 && (
          <span className="waiting" title="conversations waiting here now">
            {n.waiting} waiting
          </span>
        )}
        {n.ended > 0 && (
          <span className="ended" title="conversations that ended here">
            {n.ended} ended
          </span>
        )}
        {n.droppedOff > 0 && (
          <span className="dropped" title="conversations that dropped off after this node">
            {n.droppedOff} dropped off
          </span>
        )}
      </>
    );
  }
  return badges;
}

type Side = number | 'draft';

export function VersionsPanel({
  canvas,
  meta,
  active,
  refreshKey,
}: {
  canvas: CanvasControls;
  meta: Draft;
  active: boolean;
  refreshKey: number;
}) {
  const flow = useReactFlow<FlowNode>();
  const [versions, setVersions] = useState<VersionRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [overlay, setOverlay] = useState<OverlayAnswer | null>(null);
  const [live, setLive] = useState(true);
  const [from, setFrom] = useState<Side | ''>('');
  const [to, setTo] = useState<Side | ''>('');
  const [entries, setEntries] = useState<DiffEntry[] | null>(null);
  const [diffLabel, setDiffLabel] = useState('');

  const beginList = useLatestRequest();
  // One request for what the canvas shows (a version, a diff or the draft): the last click wins.
  const beginCanvas = useLatestRequest();

  const load = useCallback(() => {
    const isLatest = beginList();
    versionsApi.list(meta.id).then(
      (list) => {
        if (!isLatest()) return;
        setVersions(list);
        setError(null);
        if (list.length >= 2) {
          setFrom(list[1]!.version);
          setTo(list[0]!.version);
        } else if (list.length === 1) {
          setFrom(list[0]!.version);
          setTo('draft');
        }
      },
      (e: Error) => isLatest() && setError(e.message.startsWith('404') ? null : e.message),
    );
  }, [meta.id, beginList]);
  useEffect(() => {
    if (active) load();
  }, [active, load, refreshKey]);

  const backToDraft = useCallback(() => {
    beginCanvas();
    setOpen(null);
    setOverlay(null);
    setEntries(null);
    canvas.showReadOnly(null);
    canvas.decorate(null);
  }, [canvas, beginCanvas]);

  // Leaving the tab returns to the draft.
  useEffect(() => {
    if (!active && (open !== null || entries)) backToDraft();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active]);

  // As a journey opens: the whole of it when that is readable, else its start at a readable zoom.
  const fit = () => setTimeout(() => void openView(flow), 60);

  const openVersion = async (version: number) => {
    const isLatest = beginCanvas();
    try {
      const found = await versionsApi.get(meta.id, version);
      if (!isLatest()) return;
      const { nodes, edges } = fromJourney(found.source);
      setEntries(null);
      setOpen(version);
      canvas.showReadOnly({ label: `${meta.id}@${version} · read-only`, nodes, edges });
      canvas.decorate(null);
      setOverlay(null);
      if (live) await showOverlay(version, isLatest);
      if (isLatest()) fit();
    } catch (e) {
      if (isLatest()) setError((e as Error).message);
    }
  };

  const showOverlay = async (version: number, isLatest: () => boolean) => {
    try {
      const answer = await versionsApi.overlay(meta.id, version);
      if (!isLatest()) return;
      setOverlay(answer);
      canvas.decorate({ badges: overlayBadges(answer) });
    } catch (e) {
      if (isLatest()) setError(`Live overlay: ${(e as Error).message}`);
    }
  };

  const sourceOf = async (side: Side): Promise<Journey> => {
    if (side === 'draft') {
      const d = canvas.draft();
      return toJourney(meta, d.nodes, d.edges) as unknown as Journey;
    }
    return (await versionsApi.get(meta.id, side)).source;
  };

  const showDiff = async () => {
    if (from === '' || to === '') return;
    const isLatest = beginCanvas();
    try {
      const [a, b] = await Promise.all([sourceOf(from), sourceOf(to)]);
      if (!isLatest()) return;
      const diff = diffJourneys(a, b);
      const drawn = diffCanvas(a, b, diff);
      const name = (s: Side) => (s === 'draft' ? 'draft' : `v${s}`);
      const label = `diff ${name(from)} → ${name(to)} · read-only`;
      setOpen(null);
      setOverlay(null);
      canvas.decorate(null);
      canvas.showReadOnly({ label, nodes: drawn.nodes, edges: drawn.edges });
      setEntries(drawn.entries);
      setDiffLabel(diff.logicChanged ? '' : diff.layoutChanged ? 'Only the layout changed.' : 'No difference.');
      fit();
    } catch (e) {
      if (isLatest()) setError((e as Error).message);
    }
  };

  const focus = (nodeId: string) => {
    const node = flow.getNode(nodeId);
    if (node)
      flow.setCenter(node.position.x + 110, node.position.y + 50, {
        zoom: Math.max(flow.getZoom(), 0.8),
        duration: 200,
      });
  };

  const sides = (
    <>
      {versions?.map((v) => (
        <option key={v.version} value={v.version}>
          v{v.version}
        </option>
      ))}
      <option value="draft">draft</option>
    </>
  );
  const parseSide = (value: string): Side | '' => (value === '' ? '' : value === 'draft' ? 'draft' : Number(value));

  return (
    <div className="versions" data-testid="versions">
      {(open !== null || entries) && (
        <div className="row">
          <button type="button" onClick={backToDraft} data-testid="back-to-draft">
            ← Back to the draft
          </button>
        </div>
      )}
      {error && <p className="err">{error}</p>}
      <h3>Compare on the canvas</h3>
      <div className="row">
        <select
          aria-label="diff from"
          value={from}
          onChange={(e) => setFrom(parseSide(e.target.value))}
          style={{ width: 'auto' }}
        >
          {sides}
        </select>
        →
        <select
          aria-label="diff to"
          value={to}
          onChange={(e) => setTo(parseSide(e.target.value))}
          style={{ width: 'auto' }}
        >
          {sides}
        </select>
        <button
          type="button"
          onClick={() => void showDiff()}
          disabled={from === '' || to === ''}
          data-testid="show-diff"
        >
          Show diff
        </button>
      </div>
      {entries && (
        <div data-testid="diff-list">
          {diffLabel && <p className="hint">{diffLabel}</p>}
          <p className="hint">
            <span className="good">green added</span> · <span className="err">red removed</span> · amber changed
          </p>
          <ul className="diff-list">
            {entries.map((entry, i) => (
              <li key={i} className={entry.kind}>
                <button type="button" onClick={() => focus(entry.nodeId)}>
                  <b>{entry.kind}</b> {entry.what} <code>{entry.label}</code>
                </button>
                {entry.changes.length > 0 && (
                  <ul>
                    {entry.changes.map((c: FieldChange, j) => (
                      <li key={j}>
                        <code>{c.field}</code>: <code className="before">{short(c.before)}</code> →{' '}
                        <code className="after">{short(c.after)}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <h3>History</h3>
      <label className="hint">
        <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> show live conversations on
        an opened version
      </label>
      {versions && versions.length === 0 && <p className="hint">Not published yet.</p>}
      {!versions && !error && <p className="hint">Loading…</p>}
      <ul className="versions-list">
        {versions?.map((v) => (
          <li key={v.version} data-testid={`version-${v.version}`}>
            <div className="row">
              <b>
                {meta.id}@{v.version}
              </b>
              <code className="hint" title={v.hash}>
                {v.hash.slice(0, 10)}
              </code>
              <span style={{ flex: 1 }} />
              <button type="button" onClick={() => void openVersion(v.version)} disabled={open === v.version}>
                Open
              </button>
            </div>
            <div className="meta">
              {new Date(v.publishedAt).toLocaleString()} · {v.author ?? 'unknown author'}
              {v.message ? ` · ${v.message}` : ''}
            </div>
          </li>
        ))}
      </ul>
      {open !== null && overlay && (
        <p className="hint" data-testid="overlay-summary">
          Live: {overlay.conversations} conversation(s) on v{open}, {overlay.active} active
          {overlay.truncated ? ' (newest only)' : ''}. Badges on the nodes: waiting there now, ended there, dropped off
          after.
          <span className="overlay-actions">
            <button type="button" onClick={() => void showOverlay(open, beginCanvas())}>
              Refresh
            </button>
            {overlay.temporalUrl && (
              <a
                className="overlay-temporal"
                href={overlay.temporalUrl}
                target="_blank"
                rel="noopener noreferrer"
                title={`v${open}'s conversations in the Temporal UI, filtered by BatonJourneyId and BatonJourneyVersion`}
              >
                Open in Temporal
              </a>
            )}
          </span>
        </p>
      )}
    </div>
  );
}
