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

/**
 * Strongly connected components among non-waiting nodes (Tarjan, with an explicit stack so that a long
 * chain cannot overflow the call stack); each is a cycle that never yields.
 */
export function instantCycles(nodes: JourneyNode[], next: Map<string, Record<string, string>>): string[][] {
  const instant = new Set(nodes.filter((node) => !nodeKinds[node.type].waits).map((node) => node.id));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  const successors = (id: string) => Object.values(next.get(id) ?? {}).filter((target) => instant.has(target));
  /** One frame per node being visited: its successors and how far through them it is. */
  interface Frame {
    id: string;
    targets: string[];
    position: number;
  }
  const open = (id: string): Frame => {
    index.set(id, counter);
    low.set(id, counter);
    counter += 1;
    stack.push(id);
    onStack.add(id);
    return { id, targets: successors(id), position: 0 };
  };
  const close = (id: string): void => {
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== id);
    if (component.length > 1 || successors(id).includes(id)) cycles.push(component.reverse());
  };
  for (const root of instant) {
    if (index.has(root)) continue;
    const frames: Frame[] = [open(root)];
    while (frames.length) {
      const frame = frames[frames.length - 1] as Frame;
      if (frame.position < frame.targets.length) {
        const target = frame.targets[frame.position] as string;
        frame.position += 1;
        if (!index.has(target)) frames.push(open(target));
        else if (onStack.has(target))
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(target) as number));
        continue;
      }
      frames.pop();
      close(frame.id);
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
    }
  }
  return cycles;
}
