import { memo, useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  addEdge,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
} from '@xyflow/react';
import { compileJourney } from '@baton/core/compiler';
import { nodeKinds, nodeKindNames, type ActivityManifest, type Diagnostic, type NodeKind } from '@baton/schemas';
import { api } from './api';
import { nodeTypes } from './nodes';
import { Inspector } from './Inspector';
import { Json } from './editor/Json';
import { defaultData, draftOf, fromJourney, handlesOf, newId, toJourney, type Draft, type FlowNode } from './model';
import { useEditorTools } from './editor/useEditorTools';
import { ToolsPanel, useCanvasView } from './overlay/ToolsPanel';

const kindColors: Record<string, string> = {
  start: '#1b7f3a',
  message: '#2458d6',
  ask: '#7a3fd1',
  classify: '#c2185b',
  condition: '#e37400',
  activity: '#00838f',
  handoff: '#d93025',
  wait: '#5f6368',
  set: '#795548',
  followup: '#0b8043',
  end: '#3c4043',
};

const localKey = (id: string) => `baton.designer.draft.${id}`;

// React Flow props as constants: a new array or function on each render is a store update (or a
// re-render of every minimap node) on each drag frame.
const snapGrid: [number, number] = [10, 10];
const deleteKeyCode = ['Backspace', 'Delete'];
const multiSelectionKeyCode = ['Meta', 'Control'];
const defaultViewport = { x: 0, y: 0, zoom: 1 };
const proOptions = { hideAttribution: true };
const minimapNodeColor = (n: { type?: string }) => kindColors[n.type ?? ''] ?? '#888';
/** Unsaved work is written to this browser this long after the last change (and at once when the page is left). */
const localSaveDelayMs = 400;

const MemoInspector = memo(Inspector);
const readOnlyText = 'A read-only version is on the canvas: go back to the draft to edit it.';

/**
 * The nodes' logic (ids, kinds, data objects) as one array that keeps its identity while only positions,
 * selection or measurements change (e.g. every frame of a drag), so validation is not recomputed then.
 */
function useLogicNodes(nodes: FlowNode[]): FlowNode[] {
  const previous = useRef<FlowNode[]>([]);
  const before = previous.current;
  const same =
    before.length === nodes.length &&
    nodes.every((n, i) => n.id === before[i]!.id && n.type === before[i]!.type && n.data === before[i]!.data);
  if (!same) previous.current = nodes;
  return previous.current;
}

interface LocalDraft {
  meta: Draft;
  journey: ReturnType<typeof toJourney>;
  /** True once the server has the journey (PUT), false while only POST can create it. */
  persisted: boolean;
  dirty: boolean;
}

/** Journeys started in this browser that the server does not have yet, or with unsaved changes. */
export function localDrafts(): { id: string; name: string; persisted: boolean }[] {
  const found: { id: string; name: string; persisted: boolean }[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith('baton.designer.draft.')) continue;
    const draft = readLocal(key.slice('baton.designer.draft.'.length));
    if (draft && (draft.dirty || !draft.persisted))
      found.push({ id: draft.meta.id, name: draft.meta.name, persisted: draft.persisted });
  }
  return found;
}

export function readLocal(id: string): LocalDraft | null {
  try {
    const raw = localStorage.getItem(localKey(id));
    return raw ? (JSON.parse(raw) as LocalDraft) : null;
  } catch {
    return null;
  }
}

export function writeLocal(id: string, draft: LocalDraft): void {
  try {
    localStorage.setItem(localKey(id), JSON.stringify(draft));
  } catch {
    /* storage full or disabled: the page still works, only the safety net is gone */
  }
}

export function Editor({ id }: { id: string }) {
  return (
    <ReactFlowProvider>
      <EditorInner id={id} />
    </ReactFlowProvider>
  );
}

function EditorInner({ id }: { id: string }) {
  const [nodes, setNodes, onNodesChange] = useNodesState<FlowNode>([]);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>([]);
  const [meta, setMeta] = useState<Draft | null>(null);
  const [persisted, setPersisted] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [activities, setActivities] = useState<ActivityManifest[]>([]);
  const [status, setStatus] = useState<{ kind: 'info' | 'error' | 'ok'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [search, setSearch] = useState('');
  const flow = useReactFlow();
  // Simulator, versions, diff, replay and live overlay draw on the canvas through this (overlay/canvasView.tsx).
  const canvas = useCanvasView(nodes, edges, onNodesChange, onEdgesChange);
  const loaded = useRef(false);

  // useReactFlow() answers a new object once the viewport is initialised, its fitView stays the same:
  // the load below depends on fitView only, or it loads the journey again and drops a selection made meanwhile.
  const { fitView } = flow;

  // Load: unsaved local work first, then the server's draft.
  useEffect(() => {
    let cancelled = false;
    api
      .activities()
      .then((a) => !cancelled && setActivities(a))
      .catch((e: Error) => setStatus({ kind: 'error', text: `Activity catalog: ${e.message}` }));
    const local = readLocal(id);
    const apply = (m: Draft, journey: { nodes?: unknown[]; edges?: unknown[] }) => {
      const flowJourney = fromJourney(journey);
      setMeta(m);
      setNodes(flowJourney.nodes);
      setEdges(flowJourney.edges);
      loaded.current = true;
    };
    if (local && (local.dirty || !local.persisted)) {
      apply(local.meta, local.journey);
      setPersisted(local.persisted);
      setDirty(local.dirty);
      if (local.persisted) setStatus({ kind: 'info', text: 'Restored unsaved changes kept in this browser.' });
      if (local.journey.nodes.length > 0) setTimeout(() => void fitView({ padding: 0.2, maxZoom: 1 }), 50);
      return;
    }
    api
      .getJourney(id)
      .then((j) => {
        if (cancelled) return;
        apply(draftOf(j), j);
        setPersisted(true);
        setTimeout(() => void fitView({ padding: 0.2, maxZoom: 1 }), 50);
      })
      .catch((e: Error) => setStatus({ kind: 'error', text: `Could not open journey "${id}": ${e.message}` }));
    return () => {
      cancelled = true;
    };
  }, [id, setNodes, setEdges, fitView]);

  const catalog = useMemo(() => new Map(activities.map((a) => [a.name, a])), [activities]);

  // Live validation with the engine's own compiler. Keyed on the logic (not positions), so dragging does not recompile.
  const logicNodes = useLogicNodes(nodes);
  const logicKey = useMemo(
    () =>
      JSON.stringify([
        logicNodes.map((n) => {
          const { problems: _p, hasError: _h, ...data } = n.data;
          return [n.id, n.type, data];
        }),
        edges.map((e) => [e.id, e.source, e.sourceHandle, e.target]),
        meta,
      ]),
    [logicNodes, edges, meta],
  );
  const diagnostics: Diagnostic[] = useMemo(() => {
    if (!meta) return [];
    const result = compileJourney(toJourney(meta, nodes, edges), activities.length ? { activities: catalog } : {});
    return result.diagnostics;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [logicKey, catalog, activities.length]);
  const errors = diagnostics.filter((d) => d.severity === 'error');

  // Put each node's problems on it (only nodes whose problems changed get a new object).
  useEffect(() => {
    const byNode = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) if (d.nodeId) byNode.set(d.nodeId, [...(byNode.get(d.nodeId) ?? []), d]);
    setNodes((ns) =>
      ns.map((n) => {
        const mine = [...(byNode.get(n.id) ?? [])].sort((a, b) =>
          a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
        );
        const problems = mine.map((d) => d.message);
        const hasError = mine.some((d) => d.severity === 'error');
        if (JSON.stringify(problems) === JSON.stringify(n.data.problems ?? []) && hasError === Boolean(n.data.hasError))
          return n;
        return { ...n, data: { ...n.data, problems, hasError } };
      }),
    );
  }, [diagnostics, setNodes]);

  // Mark dirty on every real change (not the problems we put on the nodes) and keep the work locally.
  // A drag counts once, when it ends (nothing is recomputed or written on each frame).
  const firstKey = useRef<string | null>(null);
  const dragging = nodes.some((n) => n.dragging);
  const settledNodes = useRef(nodes);
  if (!dragging) settledNodes.current = nodes;
  const positionsKey = useMemo(
    () => settledNodes.current.map((n) => `${n.id}:${Math.round(n.position.x)},${Math.round(n.position.y)}`).join('|'),
    // Recomputed when the settled nodes change (the ref's value is the key), not on each drag frame.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [settledNodes.current],
  );
  useEffect(() => {
    if (!meta) return;
    const key = logicKey + positionsKey;
    if (firstKey.current === null) {
      firstKey.current = key;
      return;
    }
    if (firstKey.current === key) return;
    firstKey.current = key;
    setDirty(true);
  }, [logicKey, positionsKey, meta]);
  // Kept locally shortly after the last change (serialising a big journey on every keystroke is wasted), and
  // at once when the page is hidden or the editor closes, so unsaved work is never lost.
  const pendingLocal = useRef<(() => void) | null>(null);
  const latestDraft = useRef({ nodes, edges });
  latestDraft.current = { nodes, edges };
  const flushLocal = useCallback(() => {
    const write = pendingLocal.current;
    pendingLocal.current = null;
    write?.();
  }, []);
  useEffect(() => {
    if (!meta) return;
    pendingLocal.current = () =>
      writeLocal(id, {
        meta,
        journey: toJourney(meta, latestDraft.current.nodes, latestDraft.current.edges),
        persisted,
        dirty,
      });
    const timer = setTimeout(flushLocal, localSaveDelayMs);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [logicKey, positionsKey, persisted, dirty]);
  useEffect(() => {
    window.addEventListener('pagehide', flushLocal);
    return () => {
      window.removeEventListener('pagehide', flushLocal);
      flushLocal();
    };
  }, [flushLocal]);

  const nodeById = useCallback((nodeId: string) => flow.getNode(nodeId) as FlowNode | undefined, [flow]);

  const isValidConnection: IsValidConnection = useCallback(
    (c) => {
      const source = nodeById(c.source);
      const target = nodeById(c.target);
      if (!source || !target || !c.sourceHandle) return false;
      if (target.type === 'start') return false;
      if (!handlesOf(source.type ?? '', source.data).includes(c.sourceHandle)) return false;
      if (c.source === c.target && !nodeKinds[source.type as NodeKind]?.waits) return false;
      return !flow.getEdges().some((e) => e.source === c.source && e.sourceHandle === c.sourceHandle);
    },
    [flow, nodeById],
  );

  const onConnect = useCallback((c: Connection) => setEdges((es) => addEdge({ ...c, id: newId('e') }, es)), [setEdges]);

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const raw = e.dataTransfer.getData('application/x-baton-node');
      if (!raw) return;
      if (canvas.readOnly) {
        setStatus({ kind: 'info', text: readOnlyText });
        return;
      }
      const { kind, activity } = JSON.parse(raw) as { kind: NodeKind; activity?: string };
      const position = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const node: FlowNode = {
        id: newId(kind),
        type: kind,
        position,
        data: defaultData(kind, activity),
        selected: true,
      };
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), node]);
    },
    [flow, setNodes, canvas.readOnly],
  );

  const selected = nodes.filter((n) => n.selected);
  // The inspector keeps its props while the selected node only moves (a drag re-renders the editor on each frame).
  // Not while a version or diff is shown read-only: the inspector would edit the draft hidden behind it.
  const inspectedNode = selected.length === 1 && !canvas.readOnly ? selected[0]! : null;
  const inspected = useMemo(() => inspectedNode, [inspectedNode?.id, inspectedNode?.type, inspectedNode?.data]); // eslint-disable-line react-hooks/exhaustive-deps
  const patchNode = useCallback(
    (nodeId: string, patch: Record<string, unknown>) => {
      setNodes((ns) =>
        ns.map((n) => {
          if (n.id !== nodeId) return n;
          const data = { ...n.data, ...patch };
          for (const [k, v] of Object.entries(patch)) if (v === undefined) delete data[k];
          return { ...n, data };
        }),
      );
      // An edge whose handle disappeared (intent renamed) stays, and the compiler reports it.
    },
    [setNodes],
  );

  const selectNode = useCallback(
    (nodeId: string) => {
      setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === nodeId })));
      const n = flow.getNode(nodeId);
      if (n) flow.setCenter(n.position.x + 100, n.position.y + 50, { zoom: flow.getZoom(), duration: 200 });
    },
    [flow, setNodes],
  );

  // The connection banner comes from the tools, which need `save`: a failed save reports to it through this ref.
  const reportApiFailure = useRef<(error: unknown) => void>(() => {});
  const save = useCallback(async () => {
    if (!meta) return false;
    setBusy(true);
    try {
      // The draft's nodes, not the canvas's: a version shown read-only is not the draft.
      const journey = toJourney(meta, latestDraft.current.nodes, latestDraft.current.edges);
      if (persisted) await api.saveJourney(meta.id, journey);
      else await api.createJourney(journey);
      setPersisted(true);
      setDirty(false);
      writeLocal(meta.id, { meta, journey, persisted: true, dirty: false });
      setStatus({ kind: 'ok', text: 'Draft saved.' });
      return true;
    } catch (e) {
      setStatus({ kind: 'error', text: `Save failed: ${(e as Error).message}` });
      flushLocal(); // the server does not have it: this browser must, now
      reportApiFailure.current(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, [meta, persisted, flushLocal]);

  const publish = useCallback(async () => {
    if (!meta) return;
    if ((dirty || !persisted) && !(await save())) return;
    setBusy(true);
    try {
      const r = await api.publish(meta.id);
      setStatus({ kind: 'ok', text: `Published ${r.ref}` });
    } catch (e) {
      setStatus({ kind: 'error', text: `Publish failed: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  }, [meta, dirty, persisted, save]);

  // Undo/redo, clipboard, auto-layout, code view, import/export, shortcuts, connection banner (editor/).
  const tools = useEditorTools({
    meta,
    setMeta,
    nodes,
    edges,
    setNodes,
    setEdges,
    flow,
    activities,
    setStatus,
    save,
    readOnly: canvas.readOnly,
  });
  useEffect(() => {
    reportApiFailure.current = tools.noteApiFailure;
  }, [tools.noteApiFailure]);

  const inspectedId = inspected?.id;
  const onInspectorChange = useCallback(
    (p: Record<string, unknown>) => inspectedId && patchNode(inspectedId, p),
    [inspectedId, patchNode],
  );
  const onInspectorDelete = useCallback(
    () => inspectedId && void flow.deleteElements({ nodes: [{ id: inspectedId }] }),
    [inspectedId, flow],
  );
  // The variables a field may use, from the graph's logic (not its positions).
  const inspectedPaths = useMemo(() => tools.pathsFor(inspectedId), [inspectedId, logicKey, meta, activities]); // eslint-disable-line react-hooks/exhaustive-deps

  const q = search.trim().toLowerCase();
  const kinds = nodeKindNames.filter((k) => !q || k.includes(q) || nodeKinds[k].title.toLowerCase().includes(q));
  // Built-ins are the engine's own steps behind node kinds (classify, handoff, follow-up…): not for the palette.
  const acts = activities
    .filter((a) => !a.builtin)
    .filter((a) => !q || a.name.toLowerCase().includes(q) || (a.description ?? '').toLowerCase().includes(q));
  const startDrag = (e: DragEvent, payload: { kind: NodeKind; activity?: string }) => {
    e.dataTransfer.setData('application/x-baton-node', JSON.stringify(payload));
    e.dataTransfer.effectAllowed = 'move';
  };

  if (!meta) {
    return (
      <div className="page">
        <a href="#/journeys">← Journeys</a>
        <p className={status?.kind === 'error' ? 'error' : 'muted'}>{status?.text ?? 'Loading…'}</p>
      </div>
    );
  }

  return (
    <div className="editor">
      <header className="toolbar">
        <a href="#/journeys" className="back">
          ← Journeys
        </a>
        <input
          className="name"
          aria-label="journey name"
          readOnly={canvas.readOnly}
          value={meta.name}
          onChange={(e) => setMeta({ ...meta, name: e.target.value })}
        />
        <code className="muted" title="journey id (stable, generated)">
          {meta.id}
        </code>
        {tools.toolbar}
        <span className="spacer" />
        <span className={`state ${dirty ? 'dirty' : ''}`} data-testid="save-state">
          {dirty ? 'unsaved changes' : persisted ? 'saved' : 'not saved yet'}
        </span>
        <span className={`count ${errors.length ? 'bad' : 'good'}`} data-testid="error-count">
          {errors.length} error{errors.length === 1 ? '' : 's'}
        </span>
        <button type="button" onClick={() => void save()} disabled={busy}>
          Save draft
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void publish()}
          disabled={busy || errors.length > 0}
          title={errors.length ? 'Fix the errors to publish' : 'Publish a new version'}
        >
          Publish
        </button>
      </header>
      {status && (
        <div className={`status ${status.kind}`} role="status" data-testid="status">
          {status.text}
        </div>
      )}
      {tools.banner}
      <div className="workspace">
        <aside className="palette" aria-label="palette">
          <input
            type="search"
            placeholder="Search nodes and activities"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-label="search palette"
          />
          <h3>Nodes</h3>
          {kinds.map((k) => (
            <div
              key={k}
              className={`palette-item pk-${k}`}
              draggable
              onDragStart={(e) => startDrag(e, { kind: k })}
              data-kind={k}
              title={nodeKinds[k].description}
            >
              {nodeKinds[k].title}
            </div>
          ))}
          <h3>Activities</h3>
          {acts.length === 0 && <p className="muted">none</p>}
          {acts.map((a) => (
            <div
              key={a.name}
              className="palette-item pk-activity"
              draggable
              onDragStart={(e) => startDrag(e, { kind: 'activity', activity: a.name })}
              data-activity={a.name}
              title={a.description}
            >
              {a.name}
            </div>
          ))}
        </aside>
        <main className="canvas" onDragOver={onDragOver} onDrop={onDrop}>
          {nodes.length === 0 && <div className="empty-hint">Drag a Start node from the palette to begin.</div>}
          <ReactFlow
            nodes={canvas.nodes}
            edges={canvas.edges}
            nodeTypes={nodeTypes}
            onNodesChange={canvas.onNodesChange}
            onEdgesChange={canvas.onEdgesChange}
            nodesDraggable={!canvas.readOnly}
            nodesConnectable={!canvas.readOnly}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            snapToGrid
            snapGrid={snapGrid}
            deleteKeyCode={deleteKeyCode}
            multiSelectionKeyCode={multiSelectionKeyCode}
            defaultViewport={defaultViewport}
            minZoom={0.1}
            proOptions={proOptions}
          >
            <Background gap={20} />
            <MiniMap pannable zoomable nodeColor={minimapNodeColor} />
            <Controls />
            {canvas.portal}
          </ReactFlow>
          {canvas.label && (
            <div className="canvas-label" data-testid="canvas-label">
              {canvas.label}
            </div>
          )}
          {tools.codeView}
          {tools.help}
        </main>
        <aside className="side">
          {inspected ? (
            <MemoInspector
              key={inspected.id}
              node={inspected}
              activities={activities}
              paths={inspectedPaths}
              onChange={onInspectorChange}
              onDelete={onInspectorDelete}
            />
          ) : canvas.readOnly ? (
            <div className="inspector" data-testid="read-only-note">
              <h2>Read-only</h2>
              <p className="muted">{readOnlyText}</p>
            </div>
          ) : (
            <div className="inspector" data-testid="journey-settings">
              <h2>Journey</h2>
              <p className="muted">
                {selected.length > 1
                  ? `${selected.length} nodes selected (Delete removes them).`
                  : 'Select a node to edit it. Drag nodes from the palette; connect an output handle to a node.'}
              </p>
              <label className="field">
                <span>Description</span>
                <textarea
                  name="description"
                  rows={2}
                  value={meta.description}
                  onChange={(e) => setMeta({ ...meta, description: e.target.value })}
                />
              </label>
              <Json
                name="variables"
                label="Variables (JSON)"
                value={meta.variables}
                onChange={(v) =>
                  setMeta({
                    ...meta,
                    variables: (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown>,
                  })
                }
                hint='{ "request": { "type": "string" } }'
              />
            </div>
          )}
          <section className="problems" data-testid="problems">
            <h3>Problems ({diagnostics.length})</h3>
            {diagnostics.length === 0 && <p className="good">No problems: ready to publish.</p>}
            <ul>
              {diagnostics.map((d, i) => (
                <li key={i} className={d.severity}>
                  <button type="button" disabled={!d.nodeId} onClick={() => d.nodeId && selectNode(d.nodeId)}>
                    <b>{d.severity}</b> {d.nodeId ? <code>{d.nodeId}</code> : null} {d.message}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        </aside>
        <ToolsPanel canvas={canvas.controls} meta={meta} activities={activities} />
      </div>
    </div>
  );
}
