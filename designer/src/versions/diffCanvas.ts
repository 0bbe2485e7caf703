import type { Edge } from '@xyflow/react';
import type { FieldChange, JourneyDiff } from '@baton/core/compiler';
import { fromJourney, type FlowNode } from '../model';

export interface DiffEntry {
  kind: 'added' | 'removed' | 'changed';
  what: 'node' | 'edge';
  /** Node id (for an edge: its source node). */
  nodeId: string;
  label: string;
  changes: FieldChange[];
}

type JourneyLike = { nodes?: unknown[]; edges?: unknown[] };

/**
 * The canvas of a diff between two journeys: the newer one's nodes and edges, added ones green,
 * changed ones amber, and the removed ones of the older one as red ghosts at their old positions.
 */
export function diffCanvas(
  before: JourneyLike,
  after: JourneyLike,
  diff: JourneyDiff,
): { nodes: FlowNode[]; edges: Edge[]; entries: DiffEntry[] } {
  const a = fromJourney(before);
  const b = fromJourney(after);
  const added = new Set(diff.nodes.added.map((n) => n.id));
  const changed = new Map(diff.nodes.changed.map((n) => [n.id, n]));
  const removed = new Set(diff.nodes.removed.map((n) => n.id));
  const key = (source: string, handle: string | null | undefined) => `${source}|${handle ?? ''}`;
  const addedEdges = new Set(diff.edges.added.map((e) => key(e.source, e.handle)));
  const rewired = new Set(diff.edges.rewired.map((e) => key(e.source, e.handle)));
  const removedEdges = new Set(diff.edges.removed.map((e) => key(e.source, e.handle)));

  const nodes: FlowNode[] = b.nodes.map((n) => {
    const cls = added.has(n.id) ? 'diff-added' : changed.has(n.id) ? 'diff-changed' : undefined;
    return cls ? { ...n, className: cls } : n;
  });
  for (const n of a.nodes)
    if (removed.has(n.id)) nodes.push({ ...n, className: 'diff-removed', selectable: false, draggable: false });

  const edges: Edge[] = b.edges.map((e) => {
    const k = key(e.source, e.sourceHandle);
    const cls = addedEdges.has(k) ? 'diff-added' : rewired.has(k) ? 'diff-changed' : undefined;
    return cls ? { ...e, className: cls } : e;
  });
  for (const e of a.edges) {
    const k = key(e.source, e.sourceHandle);
    if (removedEdges.has(k) || rewired.has(k))
      edges.push({ ...e, id: `was:${e.id}`, className: 'diff-removed', selectable: false });
  }

  const entries: DiffEntry[] = [
    ...diff.nodes.added.map((n): DiffEntry => ({
      kind: 'added',
      what: 'node',
      nodeId: n.id,
      label: `${n.type} ${n.id}`,
      changes: [],
    })),
    ...diff.nodes.removed.map((n): DiffEntry => ({
      kind: 'removed',
      what: 'node',
      nodeId: n.id,
      label: `${n.type} ${n.id}`,
      changes: [],
    })),
    ...diff.nodes.changed.map((n): DiffEntry => ({
      kind: 'changed',
      what: 'node',
      nodeId: n.id,
      label: `${n.type} ${n.id}`,
      changes: n.changes,
    })),
    ...diff.edges.added.map((e): DiffEntry => ({
      kind: 'added',
      what: 'edge',
      nodeId: e.source,
      label: `${e.source}.${e.handle} → ${e.target}`,
      changes: [],
    })),
    ...diff.edges.removed.map((e): DiffEntry => ({
      kind: 'removed',
      what: 'edge',
      nodeId: e.source,
      label: `${e.source}.${e.handle} → ${e.target}`,
      changes: [],
    })),
    ...diff.edges.rewired.map((e): DiffEntry => ({
      kind: 'changed',
      what: 'edge',
      nodeId: e.source,
      label: `${e.source}.${e.handle}: ${e.before} → ${e.after}`,
      changes: [],
    })),
  ];
  return { nodes, edges, entries };
}
