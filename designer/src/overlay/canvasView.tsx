import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  applyEdgeChanges,
  applyNodeChanges,
  ViewportPortal,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnEdgesChange,
  type OnNodesChange,
} from '@xyflow/react';
import type { FlowNode } from '../model';
import './tools.css';

/**
 * What the designer's tools (simulator, replay, versions, diff, live overlay) draw on the canvas.
 * Either decorations of the draft being edited (classes on nodes and edges, badges), or a read-only
 * replacement of the whole canvas (a published version, a diff with ghosts of removed nodes).
 */
export interface CanvasDecoration {
  /** Node id → extra class names. */
  nodes?: Record<string, string>;
  /** `source|handle` → extra class names (edges are matched by their source handle, as the compiler does). */
  edges?: Record<string, string>;
  /** Node id → a small label drawn at the node's top right corner (live overlay counts, replay marks). */
  badges?: Record<string, ReactNode>;
}

export interface ReadOnlyCanvas {
  /** Shown above the canvas, e.g. "password-reset@3 (read-only)". */
  label: string;
  nodes: FlowNode[];
  edges: Edge[];
}

export const edgeKey = (source: string, handle: string | null | undefined) => `${source}|${handle ?? ''}`;

/** What the tools use to draw on the canvas; stable across renders (dragging does not re-render the tools). */
export interface CanvasControls {
  decorate(decoration: CanvasDecoration | null): void;
  showReadOnly(canvas: ReadOnlyCanvas | null): void;
  /** The draft's nodes and edges now (not the read-only canvas), without re-rendering on each change. */
  draft(): { nodes: FlowNode[]; edges: Edge[] };
}

export interface CanvasView {
  nodes: FlowNode[];
  edges: Edge[];
  onNodesChange: OnNodesChange<FlowNode>;
  onEdgesChange: OnEdgesChange<Edge>;
  readOnly: boolean;
  /** Label of the read-only canvas, if any. */
  label: string | null;
  /** Badges, drawn in the viewport (render inside <ReactFlow>). */
  portal: ReactNode;
  controls: CanvasControls;
}

/**
 * Called by the editor with the draft's nodes and edges; answers what the canvas should show. With
 * nothing to show it passes the draft through untouched, so editing (and dragging) costs nothing
 * extra; decorated nodes keep their identity between renders unless the node itself changed.
 */
export function useCanvasView(
  nodes: FlowNode[],
  edges: Edge[],
  onNodesChange: OnNodesChange<FlowNode>,
  onEdgesChange: OnEdgesChange<Edge>,
): CanvasView {
  const [decoration, setDecoration] = useState<CanvasDecoration | null>(null);
  const [readOnly, setReadOnly] = useState<ReadOnlyCanvas | null>(null);
  const [roNodes, setRoNodes] = useState<FlowNode[]>([]);
  const [roEdges, setRoEdges] = useState<Edge[]>([]);
  const latest = useRef({ nodes, edges });
  latest.current = { nodes, edges };
  const nodeCache = useRef(new WeakMap<FlowNode, { cls: string; node: FlowNode }>());
  const edgeCache = useRef(new WeakMap<Edge, { cls: string; edge: Edge }>());

  const showReadOnly = useCallback((canvas: ReadOnlyCanvas | null) => {
    setReadOnly(canvas);
    setRoNodes(canvas?.nodes ?? []);
    setRoEdges(canvas?.edges ?? []);
  }, []);

  const decorate = useCallback((next: CanvasDecoration | null) => setDecoration(next), []);

  const decoratedNodes = useMemo(() => {
    const base = readOnly ? roNodes : nodes;
    const classes = decoration?.nodes;
    if (!classes) return base;
    return base.map((node) => {
      const cls = classes[node.id];
      if (!cls) return node;
      const cached = nodeCache.current.get(node);
      if (cached && cached.cls === cls) return cached.node;
      const decorated = { ...node, className: [node.className, cls].filter(Boolean).join(' ') };
      nodeCache.current.set(node, { cls, node: decorated });
      return decorated;
    });
  }, [readOnly, roNodes, nodes, decoration]);

  const decoratedEdges = useMemo(() => {
    const base = readOnly ? roEdges : edges;
    const classes = decoration?.edges;
    if (!classes) return base;
    return base.map((edge) => {
      const cls = classes[edgeKey(edge.source, edge.sourceHandle)];
      if (!cls) return edge;
      const cached = edgeCache.current.get(edge);
      if (cached && cached.cls === cls) return cached.edge;
      const decorated = {
        ...edge,
        className: [edge.className, cls].filter(Boolean).join(' '),
        animated: cls.includes('lit'),
      };
      edgeCache.current.set(edge, { cls, edge: decorated });
      return decorated;
    });
  }, [readOnly, roEdges, edges, decoration]);

  // On the read-only canvas, selection and measuring apply; nothing is removed or edited.
  const roNodesChange: OnNodesChange<FlowNode> = useCallback(
    (changes: NodeChange<FlowNode>[]) =>
      setRoNodes((ns) =>
        applyNodeChanges(
          changes.filter((c) => c.type !== 'remove' && c.type !== 'add' && c.type !== 'replace'),
          ns,
        ),
      ),
    [],
  );
  const roEdgesChange: OnEdgesChange<Edge> = useCallback(
    (changes: EdgeChange<Edge>[]) =>
      setRoEdges((es) =>
        applyEdgeChanges(
          changes.filter((c) => c.type === 'select'),
          es,
        ),
      ),
    [],
  );

  const badges = decoration?.badges;
  const shownNodes = readOnly ? roNodes : nodes;
  const portal = useMemo(() => {
    if (!badges || Object.keys(badges).length === 0) return null;
    const byId = new Map(shownNodes.map((n) => [n.id, n]));
    return (
      <ViewportPortal>
        {Object.entries(badges).map(([id, content]) => {
          const node = byId.get(id);
          if (!node) return null;
          const width = node.measured?.width ?? 200;
          return (
            <div
              key={id}
              className="canvas-badge"
              data-testid={`badge-${id}`}
              style={{ transform: `translate(${node.position.x + width - 8}px, ${node.position.y - 14}px)` }}
            >
              {content}
            </div>
          );
        })}
      </ViewportPortal>
    );
  }, [badges, shownNodes]);

  const draft = useCallback(() => latest.current, []);
  const controls = useMemo(() => ({ decorate, showReadOnly, draft }), [decorate, showReadOnly, draft]);

  return {
    nodes: decoratedNodes,
    edges: decoratedEdges,
    onNodesChange: readOnly ? roNodesChange : onNodesChange,
    onEdgesChange: readOnly ? roEdgesChange : onEdgesChange,
    readOnly: readOnly !== null,
    label: readOnly?.label ?? null,
    portal,
    controls,
  };
}
