import { z } from 'zod';
import {
  Journey,
  JourneyEdge,
  JourneyNode,
  type VariableDeclaration,
  currentSchemaVersion,
  isNodeKind,
  nodeKinds,
  writtenVariables,
  reservedContextNames,
  toPointer,
  type CompiledJourney,
  type Diagnostic,
  type JsonValue,
} from '@baton/schemas';
import type { ActivityCatalog } from '../kinds';
import { contentHash } from './canonical';
import { checkNodeContent, compiledData } from './content';
import { instantCycles, reachableFrom } from './graph';
import { journeyLimits, pathDeeperThan, withinOuterLimits } from './limits';

export interface CompileOptions {
  /**
   * Known activities by name. When given, unknown activities and missing required inputs are errors,
   * and an activity's `taskQueue` (it runs on a team's own workers) is written into the compiled
   * activity nodes that call it, unless the node names a task queue itself.
   */
  activities?: ActivityCatalog;
}

export type CompileResult =
  { ok: true; journey: CompiledJourney; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** Envelope without nodes and edges, so that each node and edge can be checked (and located) on its own. */
const Envelope = Journey.omit({ nodes: true, edges: true }).extend({
  nodes: z.array(z.unknown()).min(1, 'a journey needs at least a start node'),
  edges: z.array(z.unknown()).default([]),
});

/** Plus "__proto__": a JavaScript object does not keep it as a plain key, so such a variable would vanish. */
const reserved = new Set<string>([...reservedContextNames, '__proto__']);
/** Context fields a rule or template may read besides the journey's variables. */
const contextRoots = new Set<string>([...reservedContextNames]);

function idOf(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && 'id' in raw && typeof (raw as { id: unknown }).id === 'string') {
    return (raw as { id: string }).id;
  }
  return undefined;
}

/**
 * Definition → compiled journey. Never throws: every problem comes back as a located diagnostic
 * (JSON pointer, node or edge id, message), all of them at once.
 */
export function compileJourney(input: unknown, options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const error = (
    path: (string | number)[],
    message: string,
    code: string,
    ids: { nodeId?: string; edgeId?: string } = {},
  ) => diagnostics.push({ severity: 'error', code, path: toPointer(path), message, ...ids });
  const warning = (
    path: (string | number)[],
    message: string,
    code: string,
    ids: { nodeId?: string; edgeId?: string } = {},
  ) => diagnostics.push({ severity: 'warning', code, path: toPointer(path), message, ...ids });

  try {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      error([], 'a journey file is a JSON object', 'not_an_object');
      return { ok: false, diagnostics };
    }
    const raw = input as Record<string, unknown>;
    if (typeof raw.schemaVersion === 'number' && raw.schemaVersion > currentSchemaVersion) {
      error(
        ['schemaVersion'],
        `schemaVersion ${raw.schemaVersion} is newer than this Baton (${currentSchemaVersion}); upgrade Baton`,
        'schema_version_newer',
      );
      return { ok: false, diagnostics };
    }

    if (!withinOuterLimits(raw, error)) return { ok: false, diagnostics };
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) {
      for (const issue of envelope.error.issues)
        for (const path of issuePaths(issue)) error(path, issue.message, 'invalid');
    }
    const rawNodes = Array.isArray(raw.nodes) ? raw.nodes : [];
    const rawEdges = Array.isArray(raw.edges) ? raw.edges : [];

    // Nodes, each on its own so that one bad node does not hide the others.
    const nodes: JourneyNode[] = [];
    const nodeIndex = new Map<string, number>();
    /**
     * Nodes that are in the file (they have an id) but failed validation (bad data, unknown kind). Their
     * own errors are reported; edges still lead to and from them, so that their neighbours are not also
     * reported as unconnected or unreachable (one mistake, one diagnostic).
     */
    const invalidNodes = new Map<string, { type: unknown }>();
    const rememberInvalid = (nodeId: string | undefined, type: unknown) => {
      if (nodeId !== undefined && !invalidNodes.has(nodeId)) invalidNodes.set(nodeId, { type });
    };
    rawNodes.forEach((rawNode, index) => {
      const nodeId = idOf(rawNode);
      const at = ['nodes', index];
      const type = rawNode && typeof rawNode === 'object' ? (rawNode as { type?: unknown }).type : undefined;
      if (typeof type === 'string' && !isNodeKind(type)) {
        error(
          [...at, 'type'],
          `unknown node kind "${type}" (known: ${Object.keys(nodeKinds).join(', ')})`,
          'unknown_kind',
          { nodeId },
        );
        rememberInvalid(nodeId, type);
        return;
      }
      const deep = pathDeeperThan(rawNode, journeyLimits.jsonDepth);
      if (deep) {
        error([...at, ...deep], `nested deeper than ${journeyLimits.jsonDepth} levels`, 'too_deep', { nodeId });
        rememberInvalid(nodeId, type);
        return;
      }
      const parsed = JourneyNode.safeParse(rawNode);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          for (const path of issuePaths(issue)) error([...at, ...path], issue.message, 'invalid', { nodeId });
        rememberInvalid(nodeId, type);
        return;
      }
      if (nodeIndex.has(parsed.data.id)) {
        error([...at, 'id'], `duplicate node id "${parsed.data.id}"`, 'duplicate_node', { nodeId: parsed.data.id });
        return;
      }
      nodeIndex.set(parsed.data.id, index);
      nodes.push(parsed.data);
    });
    const nodesById = new Map(nodes.map((node) => [node.id, node]));
    // A valid node of the same id wins (a duplicate of it is reported as such).
    for (const id of nodesById.keys()) invalidNodes.delete(id);
    const pathOfNode = (id: string): (string | number)[] => ['nodes', nodeIndex.get(id) ?? -1];

    // Variables.
    const variables: Record<string, VariableDeclaration> = envelope.success ? envelope.data.variables : {};
    for (const name of Object.keys(variables)) {
      if (reserved.has(name))
        error(['variables', name], `"${name}" is reserved by the conversation context`, 'reserved_variable');
    }
    if (raw.variables && typeof raw.variables === 'object' && Object.hasOwn(raw.variables, '__proto__')) {
      error(['variables', '__proto__'], '"__proto__" cannot be a variable name', 'reserved_variable');
    }
    const knownRoots = new Set<string>([...contextRoots, ...Object.keys(variables)]);
    // Variables written by nodes count as known for reads elsewhere (with a warning at the write if undeclared).
    for (const node of nodes) {
      const written = writtenVariables(nodeKinds[node.type].form.fields, node.data);
      for (const name of written) {
        if (reserved.has(name))
          error(
            [...pathOfNode(node.id), 'data'],
            `"${name}" is reserved by the conversation context`,
            'reserved_variable',
            { nodeId: node.id },
          );
        else if (!Object.hasOwn(variables, name)) {
          warning(
            [...pathOfNode(node.id), 'data'],
            `variable "${name}" is not declared in "variables"`,
            'undeclared_variable',
            { nodeId: node.id },
          );
          knownRoots.add(name);
        }
      }
    }

    // Start.
    const starts = nodes.filter((node) => node.type === 'start');
    // A start node that failed validation is still the start: its own errors say what is wrong with it.
    const invalidStart = [...invalidNodes].find(([, invalid]) => invalid.type === 'start')?.[0];
    if (starts.length === 0 && invalidStart === undefined && rawNodes.length > 0)
      error(['nodes'], 'a journey needs exactly one start node, found none', 'no_start');
    for (const extra of starts.slice(1))
      error(
        pathOfNode(extra.id),
        `a journey has exactly one start node; "${starts[0]?.id}" is already the start`,
        'multiple_starts',
        { nodeId: extra.id },
      );

    // Edges.
    const next = new Map<string, Record<string, string>>(nodes.map((node) => [node.id, {}]));
    /** Edges leaving nodes that failed validation, by handle: not compiled, but they still lead somewhere. */
    const invalidNext = new Map<string, Record<string, string>>([...invalidNodes.keys()].map((id) => [id, {}]));
    const isStart = (id: string) => nodesById.get(id)?.type === 'start' || invalidNodes.get(id)?.type === 'start';
    const edgeIds = new Set<string>();
    rawEdges.forEach((rawEdge, index) => {
      const at = ['edges', index];
      const edgeId = idOf(rawEdge);
      const parsed = JourneyEdge.safeParse(rawEdge);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          for (const path of issuePaths(issue)) error([...at, ...path], issue.message, 'invalid', { edgeId });
        return;
      }
      const edge = parsed.data;
      if (edgeIds.has(edge.id)) {
        error([...at, 'id'], `duplicate edge id "${edge.id}"`, 'duplicate_edge_id', { edgeId: edge.id });
        return;
      }
      edgeIds.add(edge.id);
      const source = nodesById.get(edge.source);
      const sourceKnown = source !== undefined || invalidNodes.has(edge.source);
      const targetKnown = nodesById.has(edge.target) || invalidNodes.has(edge.target);
      if (!sourceKnown) {
        error([...at, 'source'], `edge leaves from unknown node "${edge.source}"`, 'dangling_edge', {
          edgeId: edge.id,
        });
        return;
      }
      if (!targetKnown) {
        error([...at, 'target'], `edge points at unknown node "${edge.target}"`, 'dangling_edge', {
          edgeId: edge.id,
          nodeId: edge.source,
        });
        return;
      }
      if (isStart(edge.target)) {
        error([...at, 'target'], 'nothing may lead back into the start node', 'edge_into_start', {
          edgeId: edge.id,
          nodeId: edge.source,
        });
        return;
      }
      if (source) {
        const handles = handlesOf(source);
        if (!handles.includes(edge.sourceHandle)) {
          const offered = handles.length ? handles.map((h) => `"${h}"`).join(', ') : 'none';
          error(
            [...at, 'sourceHandle'],
            `node "${source.id}" (${source.type}) has no handle "${edge.sourceHandle}" (handles: ${offered})`,
            'unknown_handle',
            { edgeId: edge.id, nodeId: source.id },
          );
          return;
        }
      }
      // The handles of a node that failed validation are not known; the edge is kept for reachability only.
      const outgoing = (source ? next.get(source.id) : invalidNext.get(edge.source)) as Record<string, string>;
      if (Object.hasOwn(outgoing, edge.sourceHandle)) {
        error(
          [...at],
          `handle "${edge.sourceHandle}" of node "${edge.source}" is already connected (to "${outgoing[edge.sourceHandle]}"); a handle leads to one node`,
          'duplicate_edge',
          { edgeId: edge.id, nodeId: edge.source },
        );
        return;
      }
      // The target may be a node that failed validation: the handle is connected all the same.
      outgoing[edge.sourceHandle] = edge.target;
    });

    // Handles: required ones connected, optional ones fall back.
    for (const node of nodes) {
      const outgoing = next.get(node.id) as Record<string, string>;
      for (const handle of requiredHandlesOf(node)) {
        if (!Object.hasOwn(outgoing, handle))
          error(
            pathOfNode(node.id),
            `handle "${handle}" of ${node.type} node "${node.id}" is not connected`,
            'unconnected_handle',
            { nodeId: node.id },
          );
      }
      const fallbackHandle = nodeKinds[node.type].fallbackHandle;
      if (fallbackHandle) {
        for (const handle of handlesOf(node)) {
          if (handle !== fallbackHandle && !Object.hasOwn(outgoing, handle)) {
            warning(
              pathOfNode(node.id),
              `handle "${handle}" of node "${node.id}" is not connected; conversations take "${fallbackHandle}"`,
              'fallthrough_handle',
              { nodeId: node.id },
            );
            if (Object.hasOwn(outgoing, fallbackHandle)) outgoing[handle] = outgoing[fallbackHandle] as string;
          }
        }
      }
    }

    // Reachability from the start, also through nodes that failed validation (along their edges).
    const start = starts[0];
    const rootId = start?.id ?? invalidStart;
    if (rootId !== undefined) {
      const reached = reachableFrom(rootId, next, invalidNext);
      for (const node of nodes) {
        if (!reached.has(node.id))
          error(pathOfNode(node.id), `node "${node.id}" cannot be reached from the start`, 'unreachable', {
            nodeId: node.id,
          });
      }
    }

    // Cycles through no waiting node would spin forever without the customer.
    for (const cycle of instantCycles(nodes, next)) {
      const first = cycle[0] as string;
      error(
        pathOfNode(first),
        `cycle ${[...cycle, first].join(' → ')} passes no node that waits (ask, activity, classify, wait, handoff, followup); it would spin`,
        'instant_cycle',
        { nodeId: first },
      );
    }

    // Rules, templates and activities.
    for (const node of nodes)
      checkNodeContent(node, knownRoots, { at: pathOfNode(node.id), activities: options.activities, error, warning });

    if (diagnostics.some((d) => d.severity === 'error') || !envelope.success || !start) {
      return { ok: false, diagnostics };
    }

    const compiledNodes: CompiledJourney['nodes'] = {};
    for (const node of nodes) {
      compiledNodes[node.id] = {
        id: node.id,
        type: node.type,
        data: compiledData(node, options.activities),
        next: next.get(node.id) ?? {},
      };
    }
    const defaults: Record<string, JsonValue> = {};
    for (const [name, declaration] of Object.entries(variables)) {
      if (declaration.default !== undefined) defaults[name] = declaration.default;
    }
    const logic = {
      id: envelope.data.id,
      name: envelope.data.name,
      description: envelope.data.description,
      schemaVersion: envelope.data.schemaVersion,
      start: start.id,
      variables,
      nodes: compiledNodes,
    };
    const journey: CompiledJourney = {
      ...logic,
      version: envelope.data.version,
      hash: contentHash(logic),
      defaults,
    };
    return { ok: true, journey, diagnostics };
  } catch (thrown) {
    // The compiler must never take a process down; an internal bug is still a diagnostic.
    diagnostics.push({
      severity: 'error',
      code: 'internal',
      path: '',
      message: `internal compiler error: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    });
    return { ok: false, diagnostics };
  }
}

/** Where a zod issue points; an unknown key points at the key itself (one pointer per key), not at its object. */
function issuePaths(issue: z.core.$ZodIssue): string[][] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) return issue.keys.map((key) => [...path, key]);
  return [path];
}

function handlesOf(node: JourneyNode): string[] {
  return (nodeKinds[node.type].handles as (data: unknown) => string[])(node.data);
}

function requiredHandlesOf(node: JourneyNode): string[] {
  return (nodeKinds[node.type].requiredHandles as (data: unknown) => string[])(node.data);
}
