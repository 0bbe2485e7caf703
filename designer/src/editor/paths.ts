import type { Edge } from '@xyflow/react';
import { isNodeKind, nodeKinds, writtenVariables, type ActivityManifest } from '@baton/schemas';
import type { Draft, FlowNode } from '../model';

/** A value that rules, templates and activity mappings can read (`{{path}}`, `{ "var": path }`). */
export interface ContextPath {
  path: string;
  group: 'variable' | 'customer' | 'activity result' | 'conversation';
  type?: string;
  description?: string;
  /** The values it can take, when the journey knows them (the intents its classify nodes name). */
  values?: string[];
}

/** The conversation context the engine gives rules and templates (engine/core/src/interpreter/run.ts `context()`). */
export const conversationPaths: ContextPath[] = [
  { path: 'customer.id', group: 'customer', type: 'string' },
  { path: 'customer.name', group: 'customer', type: 'string' },
  { path: 'customer.email', group: 'customer', type: 'string' },
  { path: 'customer.tier', group: 'customer', type: 'string' },
  {
    path: 'customer.verified',
    group: 'customer',
    type: 'boolean',
    description: 'true only when a host site signed the identity; else the fields are claims',
  },
  { path: 'intent.name', group: 'conversation', type: 'string', description: 'last classified intent' },
  { path: 'intent.confidence', group: 'conversation', type: 'number' },
  { path: 'sentiment.score', group: 'conversation', type: 'number', description: '-1 (angry) … 1 (happy)' },
  { path: 'sentiment.label', group: 'conversation', type: 'string' },
  { path: 'counters.turns', group: 'conversation', type: 'number', description: 'customer messages so far' },
  { path: 'counters.failures', group: 'conversation', type: 'number', description: 'failed activities' },
  {
    path: 'counters.lowConfidence',
    group: 'conversation',
    type: 'number',
    description: 'classifications below the threshold',
  },
  { path: 'lastMessage', group: 'conversation', type: 'string' },
  { path: 'time.hour', group: 'conversation', type: 'number', description: 'UTC hour 0–23' },
  { path: 'time.minute', group: 'conversation', type: 'number' },
  { path: 'time.weekday', group: 'conversation', type: 'number', description: '0 = Sunday … 6 = Saturday' },
  { path: 'conversation.channel', group: 'conversation', type: 'string' },
];

/** Nodes from which `nodeId` can be reached: the ones that may have run before it. */
export function upstreamOf(nodeId: string, edges: readonly Edge[]): Set<string> {
  const seen = new Set<string>();
  const queue = [nodeId];
  while (queue.length) {
    const current = queue.pop()!;
    for (const edge of edges) {
      if (edge.target === current && !seen.has(edge.source)) {
        seen.add(edge.source);
        queue.push(edge.source);
      }
    }
  }
  return seen;
}

function schemaProperties(schema: unknown): [string, { type?: unknown; description?: unknown }][] {
  const properties = (schema as { properties?: Record<string, { type?: unknown; description?: unknown }> } | undefined)
    ?.properties;
  return properties && typeof properties === 'object' ? Object.entries(properties) : [];
}

/**
 * What a node can read: the journey's variables (declared, or written by a node), the customer and
 * conversation fields, and the results of activities that may run before it (with the fields of
 * their output schema). Without a node, every activity result counts.
 */
export function contextPaths(
  meta: Pick<Draft, 'variables'>,
  nodes: readonly FlowNode[],
  edges: readonly Edge[],
  activities: readonly ActivityManifest[],
  forNode?: string,
): ContextPath[] {
  const out: ContextPath[] = [];
  const seen = new Set<string>();
  const add = (p: ContextPath) => {
    if (!seen.has(p.path)) {
      seen.add(p.path);
      out.push(p);
    }
  };
  for (const [name, declaration] of Object.entries(meta.variables ?? {})) {
    const d = declaration as { type?: string; description?: string } | null;
    add({
      path: name,
      group: 'variable',
      ...(d?.type && { type: d.type }),
      ...(d?.description && { description: d.description }),
    });
  }
  const upstream = forNode ? upstreamOf(forNode, edges) : null;
  for (const node of nodes) {
    const d = node.data;
    if (node.type === 'activity' && typeof d.output === 'string' && d.output) {
      if (upstream && !upstream.has(node.id)) continue;
      const manifest = activities.find((a) => a.name === d.activity);
      add({
        path: d.output,
        group: 'activity result',
        type: 'object',
        description: `result of ${String(d.activity)} (${node.id})`,
      });
      for (const [field, schema] of schemaProperties(manifest?.output)) {
        add({
          path: `${d.output}.${field}`,
          group: 'activity result',
          ...(typeof schema.type === 'string' && { type: schema.type }),
          description: `${String(d.activity)} → ${field}`,
        });
      }
    }
    // Activity results are listed above with their fields; other kinds' written variables come from their forms.
    const written =
      node.type !== 'activity' && node.type !== undefined && isNodeKind(node.type)
        ? writtenVariables(nodeKinds[node.type].form.fields, d)
        : [];
    for (const name of written)
      if (typeof name === 'string' && name)
        add({ path: name, group: 'variable', description: `written by ${node.id}` });
  }
  // intent.name is one of the intents the journey's classify nodes name: offered as a choice, not free text.
  const intents = new Set<string>();
  for (const node of nodes)
    if (node.type === 'classify' && Array.isArray(node.data.intents))
      for (const intent of node.data.intents as unknown[]) {
        const name = (intent as { name?: unknown } | null)?.name;
        if (typeof name === 'string' && name) intents.add(name);
      }
  for (const p of conversationPaths) add(p.path === 'intent.name' && intents.size ? { ...p, values: [...intents] } : p);
  return out;
}

/** The `{{partial` being typed just before the caret, if any. */
export function completionAt(text: string, caret: number): { start: number; prefix: string } | null {
  const match = /\{\{\s*([A-Za-z0-9_.]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1]!.length, prefix: match[1]! };
}

/** Inserts `path` at the completion point and closes the placeholder; returns the new text and caret. */
export function applyCompletion(text: string, caret: number, path: string): { text: string; caret: number } {
  const at = completionAt(text, caret);
  const start = at ? at.start : caret;
  const after = text.slice(caret);
  const closing = /^\s*\}\}/.test(after) ? '' : '}}';
  const inserted = path + closing;
  return { text: text.slice(0, start) + inserted + after, caret: start + inserted.length };
}

export function matchingPaths(paths: readonly ContextPath[], prefix: string, limit = 12): ContextPath[] {
  const q = prefix.toLowerCase();
  const starts = paths.filter((p) => p.path.toLowerCase().startsWith(q));
  const contains = paths.filter((p) => !p.path.toLowerCase().startsWith(q) && p.path.toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, limit);
}
