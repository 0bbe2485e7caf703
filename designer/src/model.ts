import { nodeKinds, currentSchemaVersion, type NodeKind } from '@baton/schemas';
import type { Edge, Node } from '@xyflow/react';

export type NodeData = Record<string, unknown> & { problems?: string[]; hasError?: boolean };
export type FlowNode = Node<NodeData>;

/** Ids are random and chosen once, never derived from a name. */
export function newId(prefix: string): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(36).padStart(2, '0'))
    .join('')
    .slice(0, 10)}`;
}

/**
 * The data of a node dropped from the palette: its kind's starter example (schemas/src/nodes/<kind>/form.ts).
 * What the node leaves out runs with the schema's defaults; they are not copied here.
 */
export function defaultData(kind: NodeKind, activity?: string): Record<string, unknown> {
  const starter = JSON.parse(JSON.stringify(nodeKinds[kind].form.starter)) as Record<string, unknown>;
  // Only an activity dropped from the palette's catalog names one.
  return activity !== undefined ? { ...starter, activity } : starter;
}

/** Output handles of a node as the compiler sees them; [] when its data cannot say yet. */
export function handlesOf(kind: string, data: Record<string, unknown>): string[] {
  const def = (nodeKinds as Record<string, { handles(d: never): string[] }>)[kind];
  if (!def) return [];
  try {
    return def.handles(data as never).filter((h) => typeof h === 'string' && h.length > 0);
  } catch {
    return [];
  }
}

export interface Draft {
  /** The file's `$schema` (kept so that an exported file is byte-identical to `baton fmt`'s). */
  $schema?: string;
  id: string;
  name: string;
  description: string;
  version: number;
  variables: Record<string, unknown>;
}

/** Strip editor-only state (problems, selection, measured size) to the journey file's shape. */
export function toJourney(meta: Draft, nodes: FlowNode[], edges: Edge[]) {
  return {
    ...(meta.$schema !== undefined && { $schema: meta.$schema }),
    schemaVersion: currentSchemaVersion,
    id: meta.id,
    name: meta.name,
    ...(meta.description !== '' && { description: meta.description }),
    version: meta.version,
    variables: meta.variables,
    nodes: nodes.map((n) => {
      const { problems: _p, hasError: _h, ...data } = n.data;
      return {
        id: n.id,
        type: n.type ?? 'message',
        position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
        data: data as Record<string, unknown>,
      };
    }),
    edges: edges.map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? '', target: e.target })),
  };
}

export function fromJourney(journey: { nodes?: unknown[]; edges?: unknown[] }): { nodes: FlowNode[]; edges: Edge[] } {
  const nodes = (journey.nodes ?? []).map((raw) => {
    const n = raw as { id: string; type: string; position?: { x: number; y: number }; data?: Record<string, unknown> };
    return {
      id: n.id,
      type: n.type,
      position: n.position ?? { x: 0, y: 0 },
      data: { ...(n.data ?? {}) },
    } satisfies FlowNode;
  });
  const edges = (journey.edges ?? []).map((raw) => {
    const e = raw as { id: string; source: string; sourceHandle?: string; target: string };
    return { id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? null, target: e.target } satisfies Edge;
  });
  return { nodes, edges };
}

/** The editor's journey metadata from a journey file (its envelope). */
export function draftOf(journey: Readonly<Record<string, unknown>>): Draft {
  return {
    ...(typeof journey.$schema === 'string' && { $schema: journey.$schema }),
    id: String(journey.id ?? ''),
    name: typeof journey.name === 'string' ? journey.name : '',
    description: typeof journey.description === 'string' ? journey.description : '',
    version: typeof journey.version === 'number' ? journey.version : 0,
    variables:
      journey.variables && typeof journey.variables === 'object' && !Array.isArray(journey.variables)
        ? (journey.variables as Record<string, unknown>)
        : {},
  };
}
