import { useEffect, useMemo, useRef, type Dispatch, type SetStateAction } from 'react';
import type { Edge } from '@xyflow/react';
import { compileJourney } from '@baton/core/compiler';
import type { ActivityManifest, Diagnostic } from '@baton/schemas';
import { toJourney, type Draft, type FlowNode } from '../model';

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

/**
 * Live validation with the engine's own compiler, keyed on the logic (not positions, so dragging
 * does not recompile); each node gets its own problems (only nodes whose problems changed get a new
 * object). `logicKey` changes with the journey's logic only.
 */
export function useDiagnostics(
  meta: Draft | null,
  nodes: FlowNode[],
  edges: Edge[],
  activities: readonly ActivityManifest[],
  setNodes: Dispatch<SetStateAction<FlowNode[]>>,
): { diagnostics: Diagnostic[]; logicKey: string } {
  const catalog = useMemo(() => new Map(activities.map((a) => [a.name, a])), [activities]);

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
  return { diagnostics, logicKey };
}
