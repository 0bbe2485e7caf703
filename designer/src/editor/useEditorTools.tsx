import {
  useCallback,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type Dispatch,
  type SetStateAction,
} from 'react';
import type { Edge, ReactFlowInstance } from '@xyflow/react';
import type { ActivityManifest } from '@baton/schemas';
import { draftOf, fromJourney, toJourney, type Draft, type FlowNode } from '../model';
import { changeSignature, SnapshotHistory } from './history';
import { copySelection, loadClip, pasteClip, storeClip, type Clip } from './clipboard';
import { inferDirection, layoutJourney, type LayoutDirection } from './layout';
import { openView } from './viewport';
import { downloadText, exportFileName, exportJourneyText, readJourneyText, type JourneyDocument } from './io';
import { contextPaths } from './paths';
import { CodeView } from './CodeView';
import { ShortcutsHelp } from './ShortcutsHelp';
import { useApiConnection } from './connection';
import './editor.css';

type Status = { kind: 'info' | 'error' | 'ok'; text: string } | null;
type Journey = ReturnType<typeof toJourney>;
interface Snapshot {
  journey: Journey;
  key: string;
}

export interface EditorToolsInput {
  meta: Draft | null;
  setMeta: Dispatch<SetStateAction<Draft | null>>;
  nodes: FlowNode[];
  edges: Edge[];
  setNodes: Dispatch<SetStateAction<FlowNode[]>>;
  setEdges: Dispatch<SetStateAction<Edge[]>>;
  flow: ReactFlowInstance<FlowNode, Edge>;
  activities: readonly ActivityManifest[];
  setStatus: (status: Status) => void;
  save: () => Promise<boolean>;
  /** A published version (or a diff) is on the canvas: nothing may change the draft behind it. */
  readOnly?: boolean;
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * The editing comfort of the editor, kept out of Editor.tsx: undo/redo over snapshots of the
 * journey, copy/paste/duplicate, select all, auto-layout, the code view, import/export of journey
 * files, keyboard shortcuts and their help, and the API connection banner.
 */
export function useEditorTools({
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
  readOnly = false,
}: EditorToolsInput) {
  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;
  const blocked = useCallback(() => {
    if (readOnlyRef.current)
      setStatus({ kind: 'info', text: 'A read-only version is on the canvas: go back to the draft to edit it.' });
    return readOnlyRef.current;
  }, [setStatus]);
  const history = useRef(new SnapshotHistory<Snapshot>((s) => s.key)).current;
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const [codeOpen, setCodeOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [direction, setDirection] = useState<LayoutDirection>('RIGHT');
  // The direction the cards' handles follow: the last layout's, or the one the opened journey reads in.
  const [laidOut, setLaidOut] = useState<LayoutDirection>('RIGHT');
  const inferred = useRef(false);
  useEffect(() => {
    if (inferred.current || nodes.length === 0) return;
    inferred.current = true;
    const read = inferDirection(nodes, edges);
    setLaidOut(read);
    setDirection(read);
  }, [nodes, edges]);
  const clip = useRef<Clip | null>(null);
  const pastes = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const connection = useApiConnection();
  const catalog = useMemo(() => new Map(activities.map((a) => [a.name, a])), [activities]);

  // History: record every settled state (not each frame of a drag: a drag is one step when it ends).
  const dragging = nodes.some((n) => n.dragging);
  const journey = useMemo(
    () => (meta && !dragging ? toJourney(meta, nodes, edges) : null),
    [meta, nodes, edges, dragging],
  );
  // The canonical text only while the code view shows it (formatting a big journey on every edit is wasted).
  const text = useMemo(
    () => (codeOpen && meta && journey ? exportJourneyText(meta, nodes, edges) : ''),
    // `journey` changes exactly when meta, nodes or edges settle.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [journey, codeOpen],
  );
  useEffect(() => {
    if (!journey) return;
    const snapshot = { journey, key: JSON.stringify(journey) };
    const present = history.present;
    if (!present || present.journey.id !== journey.id) {
      history.reset(snapshot);
      rerender();
      return;
    }
    if (snapshot.key === present.key) return;
    history.record(snapshot, changeSignature(present.journey, journey));
    rerender();
  }, [journey, history]);

  /** Puts a journey on the canvas (keeping this editor's id, the selection and the nodes' problem badges). */
  const applyJourney = useCallback(
    (doc: { nodes?: unknown[]; edges?: unknown[] } & Record<string, unknown>) => {
      const current = new Map(flow.getNodes().map((n) => [n.id, n]));
      const next = fromJourney(doc);
      setNodes(
        next.nodes.map((n) => {
          const before = current.get(n.id);
          if (!before) return n;
          const { problems, hasError } = before.data;
          return {
            ...n,
            selected: before.selected ?? false,
            data: {
              ...n.data,
              ...(problems !== undefined && { problems }),
              ...(hasError !== undefined && { hasError }),
            },
          };
        }),
      );
      setEdges(next.edges);
      setMeta((m) => ({ ...draftOf(doc), id: m?.id ?? String(doc.id) }));
    },
    [flow, setNodes, setEdges, setMeta],
  );

  const undo = useCallback(() => {
    if (blocked()) return;
    const snapshot = history.undo();
    if (snapshot) applyJourney(snapshot.journey);
    rerender();
  }, [history, applyJourney, blocked]);
  const redo = useCallback(() => {
    if (blocked()) return;
    const snapshot = history.redo();
    if (snapshot) applyJourney(snapshot.journey);
    rerender();
  }, [history, applyJourney, blocked]);

  const paste = useCallback(
    (from?: Clip | null) => {
      const source = from ?? clip.current ?? loadClip();
      if (!source || blocked()) return;
      pastes.current += 1;
      const shift = 40 * pastes.current;
      const pasted = pasteClip(source, { x: shift, y: shift });
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes]);
      setEdges((es) => [...es.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pasted.edges]);
    },
    [setNodes, setEdges, blocked],
  );
  const copy = useCallback(() => {
    const copied = copySelection(flow.getNodes(), flow.getEdges());
    if (!copied) return;
    clip.current = copied;
    pastes.current = 0;
    storeClip(copied);
    setStatus({
      kind: 'info',
      text: `Copied ${copied.nodes.length} node${copied.nodes.length === 1 ? '' : 's'} (Ctrl+V pastes).`,
    });
  }, [flow, setStatus]);
  const duplicate = useCallback(() => {
    const copied = copySelection(flow.getNodes(), flow.getEdges());
    if (!copied) return;
    const before = pastes.current;
    pastes.current = 0;
    paste(copied);
    pastes.current = before;
  }, [flow, paste]);
  const selectAll = useCallback(() => {
    if (blocked()) return;
    setNodes((ns) => ns.map((n) => (n.selected ? n : { ...n, selected: true })));
    setEdges((es) => es.map((e) => (e.selected ? e : { ...e, selected: true })));
  }, [setNodes, setEdges, blocked]);

  const autoLayout = useCallback(async () => {
    if (blocked()) return;
    const current = flow.getNodes();
    const positions = await layoutJourney(
      current.map((n) => ({
        id: n.id,
        type: n.type,
        data: n.data,
        ...(n.measured?.width && n.measured.height ? { width: n.measured.width, height: n.measured.height } : {}),
      })),
      flow.getEdges(),
      direction,
    );
    setNodes((ns) => ns.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id)! } : n)));
    setLaidOut(direction);
    setTimeout(() => void openView(flow, 250), 60);
  }, [flow, direction, setNodes, blocked]);

  const importText = useCallback(
    (content: string, source: string) => {
      if (blocked()) return false;
      const read = readJourneyText(content, catalog);
      if (!read.ok) {
        setStatus({ kind: 'error', text: `Cannot import ${source}: ${read.message} Nothing was changed.` });
        return false;
      }
      applyJourney(read.journey);
      const otherId =
        meta && read.journey.id !== meta.id
          ? ` (the file's id "${String(read.journey.id)}" was replaced by this journey's id "${meta.id}")`
          : '';
      setStatus({
        kind: read.notices.length ? 'error' : 'ok',
        text: [`Imported ${source}${otherId}; Ctrl+Z brings back what was here.`, ...read.notices].join(' '),
      });
      setTimeout(() => void openView(flow), 60);
      return true;
    },
    [catalog, applyJourney, meta, setStatus, flow, blocked],
  );
  const importFile = useCallback(
    (file: File) => {
      file.text().then(
        (content) => importText(content, `"${file.name}"`),
        (e: Error) => setStatus({ kind: 'error', text: `Cannot read "${file.name}": ${e.message}` }),
      );
    },
    [importText, setStatus],
  );
  const exportFile = useCallback(() => {
    if (!meta) return;
    downloadText(exportFileName(meta), exportJourneyText(meta, flow.getNodes(), flow.getEdges()));
  }, [meta, flow]);

  // A journey file dropped anywhere on the page is imported (the canvas's own drop handler only takes palette items).
  useEffect(() => {
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const over = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      const file = e.dataTransfer?.files?.[0];
      if (!file) return;
      e.preventDefault();
      importFile(file);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [importFile]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        void save();
        return;
      }
      if (isTyping(e.target)) return;
      let handled = true;
      if (mod && key === 'z' && !e.shiftKey) undo();
      else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) redo();
      else if (mod && key === 'c') copy();
      else if (mod && key === 'v') paste();
      else if (mod && key === 'd') duplicate();
      else if (mod && key === 'a') selectAll();
      else if (mod && e.shiftKey && key === 'l') void autoLayout();
      else if (e.key === '?') setHelpOpen((open) => !open);
      else if (e.key === 'Escape' && helpOpen) setHelpOpen(false);
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo, copy, paste, duplicate, selectAll, autoLayout, save, helpOpen]);

  const pathsFor = useCallback(
    (nodeId?: string) => (meta ? contextPaths(meta, nodes, edges, activities, nodeId) : []),
    [meta, nodes, edges, activities],
  );

  const toolbar = (
    <span className="edit-tools" role="group" aria-label="editing tools">
      <button type="button" onClick={undo} disabled={!history.canUndo} title="Undo (Ctrl+Z)" aria-label="undo">
        ↶
      </button>
      <button type="button" onClick={redo} disabled={!history.canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="redo">
        ↷
      </button>
      <button type="button" onClick={() => void autoLayout()} title="Auto-layout (Ctrl+Shift+L)">
        Layout
      </button>
      <select
        aria-label="layout direction"
        value={direction}
        onChange={(e) => setDirection(e.target.value as LayoutDirection)}
      >
        <option value="RIGHT">→</option>
        <option value="DOWN">↓</option>
      </select>
      <button
        type="button"
        onClick={() => setCodeOpen((o) => !o)}
        aria-pressed={codeOpen}
        title="The journey file, editable"
      >
        Code
      </button>
      <button
        type="button"
        onClick={() => fileInput.current?.click()}
        title="Import a journey file (or drop it on the canvas)"
      >
        Import
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) importFile(file);
          e.target.value = '';
        }}
      />
      <button type="button" onClick={exportFile} title="Download the journey file (the bytes baton fmt writes)">
        Export
      </button>
      <button
        type="button"
        onClick={() => setHelpOpen(true)}
        title="Keyboard shortcuts (?)"
        aria-label="keyboard shortcuts"
      >
        ?
      </button>
    </span>
  );
  const codeView = codeOpen ? (
    <CodeView
      text={text}
      onApply={(doc: JourneyDocument) => !blocked() && applyJourney(doc)}
      onClose={() => setCodeOpen(false)}
    />
  ) : null;
  const help = helpOpen ? <ShortcutsHelp onClose={() => setHelpOpen(false)} /> : null;

  return {
    toolbar,
    codeView,
    help,
    banner: connection.banner,
    noteApiFailure: connection.noteFailure,
    importFile,
    importText,
    pathsFor,
    undo,
    redo,
    direction: laidOut,
  };
}
