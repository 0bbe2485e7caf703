import { Journey, type JsonValue } from '@baton/schemas';

/**
 * Semantic diff of two journey definitions: what a reviewer wants to know, not which lines moved.
 * Nodes are matched by id, connections by (source node, handle), so renaming an edge's id or
 * reordering the lists is no change; defaults are applied first, so writing a default out is no
 * change either. Layout (positions and sizes) is reported apart from logic. Pure: the API and the
 * designer can use it too.
 */

export interface FieldChange {
  /** e.g. `data.prompt` or `data.intents[0].examples`. */
  field: string;
  before?: JsonValue;
  after?: JsonValue;
}

export interface Connection {
  source: string;
  handle: string;
  target: string;
}

export interface JourneyDiff {
  /** Whether each side parsed as a valid journey (else it is compared as written). */
  valid: { a: boolean; b: boolean };
  envelope: FieldChange[];
  variables: { added: string[]; removed: string[]; changed: { name: string; changes: FieldChange[] }[] };
  nodes: {
    added: { id: string; type: string }[];
    removed: { id: string; type: string }[];
    changed: { id: string; type: string; changes: FieldChange[] }[];
  };
  edges: {
    added: Connection[];
    removed: Connection[];
    rewired: { source: string; handle: string; before: string; after: string }[];
  };
  /** Nodes moved on the canvas (and React Flow's measured sizes). */
  layout: {
    id: string;
    moved?: { before: JsonValue | undefined; after: JsonValue | undefined };
    changes: FieldChange[];
  }[];
  logicChanged: boolean;
  layoutChanged: boolean;
}

type Obj = { [key: string]: JsonValue };

function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortDeep(a)) === JSON.stringify(sortDeep(b));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (!isObj(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortDeep(value[key])]),
  );
}

function json(value: unknown): JsonValue | undefined {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/** Field-level differences between two JSON values. */
export function fieldChanges(before: unknown, after: unknown, field = ''): FieldChange[] {
  if (same(before, after)) return [];
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], field ? `${field}.${key}` : key));
  }
  if (
    Array.isArray(before) &&
    Array.isArray(after) &&
    before.length === after.length &&
    before.some((item) => isObj(item))
  ) {
    return before.flatMap((item, index) => fieldChanges(item, after[index], `${field}[${index}]`));
  }
  const change: FieldChange = { field: field || '(value)' };
  const b = json(before);
  const a = json(after);
  if (b !== undefined) change.before = b;
  if (a !== undefined) change.after = a;
  return [change];
}

interface Side {
  valid: boolean;
  envelope: Obj;
  variables: Obj;
  nodes: Map<string, Obj>;
  connections: Map<string, Connection>;
}

const layoutKeys = new Set(['position', 'width', 'height']);
/** Envelope fields that are bookkeeping, not logic. */
const metadataKeys = new Set(['$schema', 'version']);

function sideOf(value: unknown): Side {
  const parsed = Journey.safeParse(value);
  const raw: Obj = parsed.success ? (json(parsed.data) as Obj) : isObj(value) ? value : {};
  const { nodes, edges, variables, ...envelope } = raw;
  const nodeMap = new Map<string, Obj>();
  for (const node of Array.isArray(nodes) ? nodes : [])
    if (isObj(node) && typeof node.id === 'string') nodeMap.set(node.id, node);
  const connections = new Map<string, Connection>();
  for (const edge of Array.isArray(edges) ? edges : []) {
    if (!isObj(edge) || typeof edge.source !== 'string' || typeof edge.target !== 'string') continue;
    const handle = typeof edge.sourceHandle === 'string' ? edge.sourceHandle : '';
    connections.set(`${edge.source}\u0000${handle}`, { source: edge.source, handle, target: edge.target });
  }
  return { valid: parsed.success, envelope, variables: isObj(variables) ? variables : {}, nodes: nodeMap, connections };
}

export function diffJourneys(a: unknown, b: unknown): JourneyDiff {
  const before = sideOf(a);
  const after = sideOf(b);
  const diff: JourneyDiff = {
    valid: { a: before.valid, b: after.valid },
    envelope: fieldChanges(before.envelope, after.envelope),
    variables: { added: [], removed: [], changed: [] },
    nodes: { added: [], removed: [], changed: [] },
    edges: { added: [], removed: [], rewired: [] },
    layout: [],
    logicChanged: false,
    layoutChanged: false,
  };

  for (const name of Object.keys(after.variables)) if (!(name in before.variables)) diff.variables.added.push(name);
  for (const name of Object.keys(before.variables)) {
    if (!(name in after.variables)) diff.variables.removed.push(name);
    else {
      const changes = fieldChanges(before.variables[name], after.variables[name]);
      if (changes.length) diff.variables.changed.push({ name, changes });
    }
  }

  const typeOf = (node: Obj) => (typeof node.type === 'string' ? node.type : '?');
  for (const [id, node] of after.nodes) if (!before.nodes.has(id)) diff.nodes.added.push({ id, type: typeOf(node) });
  for (const [id, node] of before.nodes) {
    const other = after.nodes.get(id);
    if (!other) {
      diff.nodes.removed.push({ id, type: typeOf(node) });
      continue;
    }
    const changes = fieldChanges(node, other);
    const logic = changes.filter((change) => !layoutKeys.has(change.field.split(/[.[]/)[0] as string));
    const layout = changes.filter((change) => layoutKeys.has(change.field.split(/[.[]/)[0] as string));
    if (logic.length) diff.nodes.changed.push({ id, type: typeOf(other), changes: logic });
    if (layout.length) {
      const moved = layout.some((change) => change.field.startsWith('position'));
      diff.layout.push({
        id,
        ...(moved && { moved: { before: json(node.position), after: json(other.position) } }),
        changes: layout,
      });
    }
  }

  for (const [key, connection] of after.connections) {
    const old = before.connections.get(key);
    if (!old) diff.edges.added.push(connection);
    else if (old.target !== connection.target)
      diff.edges.rewired.push({
        source: connection.source,
        handle: connection.handle,
        before: old.target,
        after: connection.target,
      });
  }
  for (const [key, connection] of before.connections)
    if (!after.connections.has(key)) diff.edges.removed.push(connection);

  diff.logicChanged =
    diff.envelope.some((change) => !metadataKeys.has(change.field.split('.')[0] as string)) ||
    diff.variables.added.length + diff.variables.removed.length + diff.variables.changed.length > 0 ||
    diff.nodes.added.length + diff.nodes.removed.length + diff.nodes.changed.length > 0 ||
    diff.edges.added.length + diff.edges.removed.length + diff.edges.rewired.length > 0;
  diff.layoutChanged = diff.layout.length > 0;
  return diff;
}

function show(value: JsonValue | undefined, max = 100): string {
  if (value === undefined) return '(unset)';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function changeLine(change: FieldChange): string {
  return `${change.field}: ${show(change.before)} → ${show(change.after)}`;
}

function position(value: JsonValue | undefined): string {
  return isObj(value) ? `(${String(value.x)}, ${String(value.y)})` : show(value);
}

/** The diff as a reviewer reads it. */
export function formatJourneyDiff(diff: JourneyDiff, labels: { a: string; b: string }): string {
  const lines: string[] = [`--- ${labels.a}`, `+++ ${labels.b}`];
  if (!diff.valid.a) lines.push(`(${labels.a} is not a valid journey; compared as written)`);
  if (!diff.valid.b) lines.push(`(${labels.b} is not a valid journey; compared as written)`);
  if (!diff.logicChanged && !diff.layoutChanged && diff.envelope.length === 0) {
    lines.push('no changes');
    return lines.join('\n');
  }
  if (diff.envelope.length) {
    lines.push('journey');
    for (const change of diff.envelope) lines.push(`  ~ ${changeLine(change)}`);
  }
  const { variables } = diff;
  if (variables.added.length + variables.removed.length + variables.changed.length) {
    lines.push('variables');
    for (const name of variables.added) lines.push(`  + ${name}`);
    for (const name of variables.removed) lines.push(`  - ${name}`);
    for (const { name, changes } of variables.changed)
      for (const change of changes) lines.push(`  ~ ${name}.${changeLine(change)}`);
  }
  const { nodes } = diff;
  if (nodes.added.length + nodes.removed.length + nodes.changed.length) {
    lines.push('nodes');
    for (const node of nodes.added) lines.push(`  + ${node.id} (${node.type})`);
    for (const node of nodes.removed) lines.push(`  - ${node.id} (${node.type})`);
    for (const node of nodes.changed) {
      lines.push(`  ~ ${node.id} (${node.type})`);
      for (const change of node.changes) lines.push(`      ${changeLine(change)}`);
    }
  }
  const { edges } = diff;
  if (edges.added.length + edges.removed.length + edges.rewired.length) {
    lines.push('connections');
    for (const edge of edges.added) lines.push(`  + ${edge.source}:${edge.handle} → ${edge.target}`);
    for (const edge of edges.removed) lines.push(`  - ${edge.source}:${edge.handle} → ${edge.target}`);
    for (const edge of edges.rewired)
      lines.push(`  ~ ${edge.source}:${edge.handle} → ${edge.after} (was ${edge.before})`);
  }
  if (diff.layout.length) {
    lines.push('layout (no effect on conversations)');
    for (const { id, moved, changes } of diff.layout) {
      const parts = changes.filter((change) => !change.field.startsWith('position')).map(changeLine);
      if (moved) parts.unshift(`moved ${position(moved.before)} → ${position(moved.after)}`);
      lines.push(`  ~ ${id} ${parts.join('; ')}`);
    }
  }
  if (!diff.logicChanged) lines.push(diff.layoutChanged ? 'logic unchanged (layout only)' : 'logic unchanged');
  return lines.join('\n');
}
