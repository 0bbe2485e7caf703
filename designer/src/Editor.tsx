import { memo, useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
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
import { nodeKinds, type ActivityManifest, type NodeKind } from '@baton/schemas';
import { api } from './api';
import { LayoutDirectionContext, nodeTypes } from './nodes';
import { Inspector } from './Inspector';
import { localDrafts, readLocal, writeLocal } from './editor/localDrafts';
import { PaletteColumn } from './editor/Palette';
import { Toolbar } from './editor/Toolbar';
import { JourneySettings, Problems, problemCounts, useNodeName } from './editor/SidePanel';
import { usePublish } from './editor/PublishDialog';
import { openView, readableZoom, refitView, useRefitOnResize } from './editor/viewport';
import { useDirty } from './editor/useDirty';
import { withWrittenDeclared } from './editor/Variables';
import { defaultData, draftOf, fromJourney, handlesOf, newId, toJourney, type Draft, type FlowNode } from './model';
import { useEditorTools } from './editor/useEditorTools';
import { useDiagnostics } from './editor/useDiagnostics';
import { ToolsPanel, useCanvasView } from './overlay/ToolsPanel';

// React Flow props as constants: a new array or function on each render is a store update (or a
// re-render of every minimap node) on each drag frame.
const snapGrid: [number, number] = [10, 10];
const deleteKeyCode = ['Backspace', 'Delete'];
const multiSelectionKeyCode = ['Meta', 'Control'];
const defaultViewport = { x: 0, y: 0, zoom: 1 };
const proOptions = { hideAttribution: true };
/** Unsaved work is written to this browser this long after the last change (and at once when the page is left). */
const localSaveDelayMs = 400;

const MemoInspector = memo(Inspector);
const readOnlyText = 'A read-only version is on the canvas: go back to the draft to edit it.';

export { localDrafts, readLocal, writeLocal };

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
  const [activities, setActivities] = useState<ActivityManifest[]>([]);
  const [status, setStatus] = useState<{ kind: 'info' | 'error' | 'ok'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Canvas first: the palette and the minimap fold away, the inspector is a drawer over the canvas.
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [problemsOpen, setProblemsOpen] = useState(false);
  const flow = useReactFlow<FlowNode>();
  const flowRef = useRef(flow);
  flowRef.current = flow;
  const canvasRef = useRef<HTMLElement>(null);
  useRefitOnResize(canvasRef, () => void refitView(flowRef.current, 200));
  // Simulator, versions, diff, replay and live overlay draw on the canvas through this (overlay/canvasView.tsx).
  const canvas = useCanvasView(nodes, edges, onNodesChange, onEdgesChange);
  const loaded = useRef(false);

  // useReactFlow() answers a new object once the viewport is initialised: the load below reads it through a
  // ref, or it would load the journey again and drop a selection made meanwhile.
  const showJourney = useCallback(() => setTimeout(() => void openView(flowRef.current), 80), []);

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
      markLoaded(local.dirty);
      if (local.persisted) setStatus({ kind: 'info', text: 'Restored unsaved changes kept in this browser.' });
      if (local.journey.nodes.length > 0) showJourney();
      return;
    }
    api
      .getJourney(id)
      .then((j) => {
        if (cancelled) return;
        markLoaded(false);
        apply(draftOf(j), j);
        setPersisted(true);
        showJourney();
      })
      .catch((e: Error) => setStatus({ kind: 'error', text: `Could not open journey "${id}": ${e.message}` }));
    return () => {
      cancelled = true;
    };
  }, [id, setNodes, setEdges, showJourney]); // eslint-disable-line react-hooks/exhaustive-deps

  // Live validation with the engine's own compiler, each node's problems put on it (editor/useDiagnostics.ts).
  const { diagnostics, logicKey } = useDiagnostics(meta, nodes, edges, activities, setNodes);
  const counts = problemCounts(diagnostics);

  // Dirty while the logic or positions differ from the saved draft (not the problems we put on the nodes).
  // A drag counts once, when it ends (nothing is recomputed or written on each frame).
  const dragging = nodes.some((n) => n.dragging);
  const settledNodes = useRef(nodes);
  if (!dragging) settledNodes.current = nodes;
  const positionsKey = useMemo(
    () => settledNodes.current.map((n) => `${n.id}:${Math.round(n.position.x)},${Math.round(n.position.y)}`).join('|'),
    // Recomputed when the settled nodes change (the ref's value is the key), not on each drag frame.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [settledNodes.current],
  );
  const { dirty, loaded: markLoaded, snapshot, markSaved } = useDirty(meta !== null, logicKey + positionsKey);
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
      if (meta) setMeta(withWrittenDeclared(meta, kind, node.data)); // a fresh Ask does not warn about its variable
    },
    [flow, setNodes, canvas.readOnly, meta],
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

  const nodeName = useNodeName(nodes);

  const selectNode = useCallback(
    (nodeId: string) => {
      setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === nodeId })));
      const n = flow.getNode(nodeId);
      const zoom = Math.max(flow.getZoom(), readableZoom);
      if (n) void flow.setCenter(n.position.x + 100, n.position.y + 50, { zoom, duration: 200 });
    },
    [flow, setNodes],
  );

  // The connection banner comes from the tools, which need `save`: a failed save reports to it through this ref.
  const reportApiFailure = useRef<(error: unknown) => void>(() => {});
  const save = useCallback(async () => {
    if (!meta) return false;
    setBusy(true);
    const savingKey = snapshot();
    try {
      // The draft's nodes, not the canvas's: a version shown read-only is not the draft.
      const journey = toJourney(meta, latestDraft.current.nodes, latestDraft.current.edges);
      if (persisted) await api.saveJourney(meta.id, journey);
      else await api.createJourney(journey);
      setPersisted(true);
      markSaved(savingKey);
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
  }, [meta, persisted, flushLocal, snapshot, markSaved]);

  const publish = usePublish({ meta, latestDraft, unsaved: dirty || !persisted, save, setBusy, setStatus });

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

  if (!meta) {
    return (
      <div className="page">
        <a href="#/journeys">← Journeys</a>
        <p className={status?.kind === 'error' ? 'error' : 'muted'}>{status?.text ?? 'Loading…'}</p>
      </div>
    );
  }

  const drawer = inspected ? (
    <MemoInspector
      key={inspected.id}
      node={inspected}
      activities={activities}
      paths={inspectedPaths}
      onChange={onInspectorChange}
      onDelete={onInspectorDelete}
    />
  ) : settingsOpen && !canvas.readOnly ? (
    <JourneySettings meta={meta} setMeta={setMeta} selectedCount={selected.length} />
  ) : null;

  return (
    <div className="editor">
      <Toolbar
        meta={meta}
        setMeta={setMeta}
        readOnly={canvas.readOnly}
        tools={tools.toolbar}
        dirty={dirty}
        persisted={persisted}
        counts={counts}
        busy={busy}
        onProblems={() => setProblemsOpen((o) => !o)}
        settingsOpen={settingsOpen}
        onSettings={() => setSettingsOpen((o) => !o)}
        onSave={() => void save()}
        onPublish={publish.open}
      />
      {status && (
        <div className={`status ${status.kind}`} role="status" data-testid="status">
          {status.text}
        </div>
      )}
      {tools.banner}
      <div className="workspace">
        <PaletteColumn activities={activities} readOnly={canvas.readOnly} />
        <main className="canvas" ref={canvasRef} onDragOver={onDragOver} onDrop={onDrop}>
          {nodes.length === 0 && <div className="empty-hint">Drag a Start node from the palette to begin.</div>}
          <LayoutDirectionContext.Provider value={tools.direction}>
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
              <Controls />
              {canvas.portal}
            </ReactFlow>
          </LayoutDirectionContext.Provider>
          {problemsOpen && (
            <Problems
              diagnostics={diagnostics}
              nodeName={nodeName}
              onSelect={selectNode}
              onClose={() => setProblemsOpen(false)}
            />
          )}
          {canvas.label && (
            <div className="canvas-label" data-testid="canvas-label">
              {canvas.label}
            </div>
          )}
          {drawer && (
            <aside className="side drawer" data-testid="drawer">
              {drawer}
            </aside>
          )}
          {tools.codeView}
          {tools.help}
        </main>
        <ToolsPanel canvas={canvas.controls} meta={meta} activities={activities} />
      </div>
      {publish.dialog}
    </div>
  );
}
