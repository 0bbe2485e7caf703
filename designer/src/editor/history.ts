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
