import { nodeKinds, type JourneyNode } from '@baton/schemas';

/** Ids reached from `rootId` along `next`, also through nodes that failed validation (`invalidNext`). */
export function reachableFrom(
  rootId: string,
  next: ReadonlyMap<string, Record<string, string>>,
  invalidNext: ReadonlyMap<string, Record<string, string>>,
): Set<string> {
  const reached = new Set<string>([rootId]);
  const queue = [rootId];
  while (queue.length) {
    const id = queue.shift() as string;
    for (const target of Object.values(next.get(id) ?? invalidNext.get(id) ?? {})) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  return reached;
}

/** Strongly connected components among non-waiting nodes (Tarjan); each is a cycle that never yields. */
export function instantCycles(nodes: JourneyNode[], next: Map<string, Record<string, string>>): string[][] {
  const instant = new Set(nodes.filter((node) => !nodeKinds[node.type].waits).map((node) => node.id));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const successors = (id: string) => Object.values(next.get(id) ?? {}).filter((target) => instant.has(target));
  const visit = (id: string): void => {
    index.set(id, counter);
    low.set(id, counter);
    counter += 1;
    stack.push(id);
    onStack.add(id);
    for (const target of successors(id)) {
      if (!index.has(target)) {
        visit(target);
        low.set(id, Math.min(low.get(id) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(id, Math.min(low.get(id) as number, index.get(target) as number));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      if (component.length > 1 || successors(id).includes(id)) cycles.push(component.reverse());
    }
  };
  for (const id of instant) if (!index.has(id)) visit(id);
  return cycles;
}
