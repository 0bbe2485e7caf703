/** Tasks that outlive their request; `settled()` lets a graceful shutdown wait for them before the store closes. */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();

  run(task: Promise<unknown>): void {
    const tracked = task.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(tracked);
    void tracked.then(() => this.pending.delete(tracked));
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when every task started so far has ended, or after `withinMs` at the latest. */
  async settled(withinMs = Number.POSITIVE_INFINITY): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      if (Number.isFinite(withinMs)) timer = setTimeout(resolve, withinMs);
    });
    const drained = (async () => {
      while (this.pending.size > 0) await Promise.all([...this.pending]);
    })();
    await Promise.race([drained, late]);
    if (timer) clearTimeout(timer);
  }
}
