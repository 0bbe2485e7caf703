/**
 * Snapshot history for undo/redo. Each entry is a whole journey (small: a few KB), so undo is a
 * plain restore, never an inverse operation that could drift. Consecutive records in the same
 * `group` (typing in one inspector field, one drag) replace the newest entry instead of adding one.
 */
export class SnapshotHistory<T> {
  private past: T[] = [];
  private future: T[] = [];
  private current: T | undefined;
  private currentKey = '';
  private lastGroup: string | undefined;

  constructor(
    private readonly keyOf: (snapshot: T) => string,
    private readonly limit = 200,
  ) {}

  /** Starts over from `snapshot` (a journey was opened). */
  reset(snapshot: T): void {
    this.past = [];
    this.future = [];
    this.current = snapshot;
    this.currentKey = this.keyOf(snapshot);
    this.lastGroup = undefined;
  }

  get present(): T | undefined {
    return this.current;
  }

  /** Records a new state; returns false when it equals the present one (nothing to undo). */
  record(snapshot: T, group?: string): boolean {
    const key = this.keyOf(snapshot);
    if (this.current === undefined) {
      this.reset(snapshot);
      return true;
    }
    if (key === this.currentKey) return false;
    if (group === undefined || group !== this.lastGroup || this.past.length === 0) {
      this.past.push(this.current);
      if (this.past.length > this.limit) this.past.shift();
    }
    this.current = snapshot;
    this.currentKey = key;
    this.future = [];
    this.lastGroup = group;
    return true;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  undo(): T | undefined {
    const previous = this.past.pop();
    if (previous === undefined || this.current === undefined) return undefined;
    this.future.push(this.current);
    this.current = previous;
    this.currentKey = this.keyOf(previous);
    this.lastGroup = undefined;
    return previous;
  }

  redo(): T | undefined {
    const next = this.future.pop();
    if (next === undefined || this.current === undefined) return undefined;
    this.past.push(this.current);
    this.current = next;
    this.currentKey = this.keyOf(next);
    this.lastGroup = undefined;
    return next;
  }
}

interface JourneyLike {
  name?: unknown;
  description?: unknown;
  variables?: unknown;
  nodes: { id: string; type?: string; position: { x: number; y: number }; data: Record<string, unknown> }[];
  edges: unknown[];
}

/**
 * What kind of edit leads from `before` to `after`, when it is typing-like: the same fields of one
 * node's data, or one journey setting. Consecutive edits with the same signature are one undo step
 * (typing "Hello" is not five steps). Anything else (moves, new nodes, edges) has none.
 */
export function changeSignature(before: JourneyLike, after: JourneyLike): string | undefined {
  if (before.nodes.length !== after.nodes.length || JSON.stringify(before.edges) !== JSON.stringify(after.edges))
    return undefined;
  const envelope = (['name', 'description', 'variables'] as const).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  let changedNode: string | undefined;
  let changedKeys: string[] = [];
  for (let i = 0; i < before.nodes.length; i++) {
    const a = before.nodes[i]!;
    const b = after.nodes[i]!;
    if (a.id !== b.id || a.type !== b.type || a.position.x !== b.position.x || a.position.y !== b.position.y)
      return undefined;
    const keys = Array.from(new Set([...Object.keys(a.data), ...Object.keys(b.data)])).filter(
      (k) => JSON.stringify(a.data[k]) !== JSON.stringify(b.data[k]),
    );
    if (keys.length === 0) continue;
    if (changedNode !== undefined) return undefined;
    changedNode = a.id;
    changedKeys = keys.sort();
  }
  if (changedNode !== undefined && envelope.length === 0) return `node:${changedNode}:${changedKeys.join(',')}`;
  if (changedNode === undefined && envelope.length === 1) return `journey:${envelope[0]}`;
  return undefined;
}
