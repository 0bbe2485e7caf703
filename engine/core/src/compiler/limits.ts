/**
 * How big a journey may be (docs/journeys.md, "Limits"). Checked by the compiler at validate and publish,
 * each as a located diagnostic; the limits on one rule are `ruleLimits` (../interpreter/rules), a
 * template's length is the schema's (`Template`, schemas/src/common.ts).
 */
export const journeyLimits = {
  nodes: 500,
  edges: 2_000,
  /**
   * Levels of nesting of any value in the file (a node's data, a variable's default), checked before
   * anything else walks it, so that no walk can run out of stack.
   */
  jsonDepth: 100,
} as const;

/**
 * The path to the first value nested deeper than `maxDepth` (objects and arrays), or undefined. Iterative:
 * it is what keeps the recursive walks after it (schema parsing, hashing) within the stack.
 */
export function pathDeeperThan(value: unknown, maxDepth: number): (string | number)[] | undefined {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (pending.length) {
    const { value: current, path } = pending.pop() as { value: unknown; path: (string | number)[] };
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= maxDepth) return path;
    if (Array.isArray(current)) current.forEach((item, index) => pending.push({ value: item, path: [...path, index] }));
    else for (const [key, item] of Object.entries(current)) pending.push({ value: item, path: [...path, key] });
  }
  return undefined;
}

type Report = (path: (string | number)[], message: string, code: string) => void;

/**
 * The limits checked before the compiler walks anything: the counts of nodes and edges, and the depth
 * of everything but the nodes (each node is checked on its own, so that its diagnostic names it).
 * False when the compiler should stop here: past these, its other checks would only be slow.
 */
export function withinOuterLimits(raw: Record<string, unknown>, error: Report): boolean {
  let within = true;
  const counted = [
    ['nodes', journeyLimits.nodes],
    ['edges', journeyLimits.edges],
  ] as const;
  for (const [key, limit] of counted) {
    const list = raw[key];
    if (Array.isArray(list) && list.length > limit) {
      error([key], `a journey has at most ${limit} ${key}, this one has ${list.length}`, `too_many_${key}`);
      within = false;
    }
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'nodes') continue;
    const deep = pathDeeperThan(value, journeyLimits.jsonDepth);
    if (deep) {
      error([key, ...deep], `nested deeper than ${journeyLimits.jsonDepth} levels`, 'too_deep');
      within = false;
    }
  }
  return within;
}
