import type { Edge } from '@xyflow/react';
import { newId, type FlowNode } from '../model';

/** What Ctrl+C keeps: the selected nodes (not start: a journey has one) and the edges between them. */
export interface Clip {
  kind: 'baton-clip';
  nodes: { id: string; type: string; position: { x: number; y: number }; data: Record<string, unknown> }[];
  edges: { source: string; sourceHandle: string | null; target: string }[];
}

const clipKey = 'baton.designer.clipboard';

export function copySelection(nodes: readonly FlowNode[], edges: readonly Edge[]): Clip | null {
  const picked = nodes.filter((n) => n.selected && n.type !== 'start');
  if (picked.length === 0) return null;
  const ids = new Set(picked.map((n) => n.id));
  return {
    kind: 'baton-clip',
    nodes: picked.map((n) => {
      const { problems: _p, hasError: _h, ...data } = n.data;
      return {
        id: n.id,
        type: n.type ?? 'message',
        position: { ...n.position },
        data: structuredClone(data) as Record<string, unknown>,
      };
    }),
    edges: edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ source: e.source, sourceHandle: e.sourceHandle ?? null, target: e.target })),
  };
}

/**
 * New nodes and edges for a paste: every id is new (`<kind>-<random>`), edges between pasted nodes
 * are rewired to the copies, positions move by `offset`; the pasted nodes come selected.
 */
export function pasteClip(clip: Clip, offset: { x: number; y: number }): { nodes: FlowNode[]; edges: Edge[] } {
  const ids = new Map<string, string>();
  const nodes: FlowNode[] = clip.nodes.map((n) => {
    const id = newId(n.type);
    ids.set(n.id, id);
    return {
      id,
      type: n.type,
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
      data: structuredClone(n.data),
      selected: true,
    };
  });
  const edges: Edge[] = clip.edges.map((e) => ({
    id: newId('e'),
    source: ids.get(e.source)!,
    sourceHandle: e.sourceHandle,
    target: ids.get(e.target)!,
  }));
  return { nodes, edges };
}

/** Kept in localStorage too, so a selection can be pasted into another journey (another tab). */
export function storeClip(clip: Clip): void {
  try {
    localStorage.setItem(clipKey, JSON.stringify(clip));
  } catch {
    /* storage disabled: copy still works within this page */
  }
}

export function loadClip(): Clip | null {
  try {
    const raw = localStorage.getItem(clipKey);
    if (!raw) return null;
    const clip = JSON.parse(raw) as Partial<Clip>;
    return clip.kind === 'baton-clip' && Array.isArray(clip.nodes) && Array.isArray(clip.edges) ? (clip as Clip) : null;
  } catch {
    return null;
  }
}
