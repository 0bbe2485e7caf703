/**
 * The conversation event streams' shared watches: one reader of Temporal per conversation per API
 * process, however many streams follow it; and the caps on open streams per token and per IP.
 */
import type { ConversationView } from '../../client';

export interface WatchListener {
  view(view: ConversationView): void;
  /** The watch stopped: the conversation ended or could not be read (`error`). */
  end(error?: unknown): void;
}

interface Watch {
  listeners: Set<WatchListener>;
  last: ConversationView | undefined;
}

/** One poll loop per watched conversation; it stops when its last stream goes or the conversation ends. */
export class ConversationWatches {
  private readonly watches = new Map<string, Watch>();

  constructor(
    private readonly read: (conversationId: string) => Promise<ConversationView>,
    private readonly pollMs: number,
  ) {}

  /** Conversations watched now (one per conversation, not per stream). */
  get size(): number {
    return this.watches.size;
  }

  /** Follows the conversation; the listener hears the latest view at once if the watch has one. Returns the unsubscribe. */
  watch(conversationId: string, listener: WatchListener): () => void {
    let watch = this.watches.get(conversationId);
    if (!watch) {
      watch = { listeners: new Set(), last: undefined };
      this.watches.set(conversationId, watch);
      void this.loop(conversationId, watch);
    } else if (watch.last) {
      listener.view(watch.last);
    }
    watch.listeners.add(listener);
    const current = watch;
    return () => {
      current.listeners.delete(listener);
    };
  }

  private async loop(conversationId: string, watch: Watch): Promise<void> {
    let failure: unknown;
    let ended = false;
    try {
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, this.pollMs));
        if (watch.listeners.size === 0) break;
        const view = await this.read(conversationId);
        watch.last = view;
        for (const listener of [...watch.listeners]) listener.view(view);
        if (view.status === 'ended') {
          ended = true;
          break;
        }
      }
    } catch (error) {
      failure = error;
    } finally {
      this.watches.delete(conversationId);
      if (ended || failure !== undefined) for (const listener of [...watch.listeners]) listener.end(failure);
    }
  }
}

export interface StreamLimitOptions {
  /** Open streams one token (a customer's conversation, a user, an API key) may hold. */
  perToken: number;
  /** Open streams one client IP may hold. */
  perIp: number;
  /** A stream with nothing to send for this long is closed (the client reconnects when it still cares). */
  idleMs: number;
}

export const defaultStreamLimits: StreamLimitOptions = { perToken: 5, perIp: 20, idleMs: 5 * 60_000 };

/** Open streams per key; `acquire` refuses beyond the cap, `release` gives the place back. */
export class StreamCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly cap: number) {}

  acquire(key: string): boolean {
    const count = this.open.get(key) ?? 0;
    if (count >= this.cap) return false;
    this.open.set(key, count + 1);
    return true;
  }

  release(key: string): void {
    const count = (this.open.get(key) ?? 1) - 1;
    if (count <= 0) this.open.delete(key);
    else this.open.set(key, count);
  }
}

/** Reads `BATON_STREAMS_PER_TOKEN`, `BATON_STREAMS_PER_IP` and `BATON_STREAM_IDLE_SECONDS` (defaults 5, 20, 300). */
export function streamLimitsFromEnv(env: NodeJS.ProcessEnv): StreamLimitOptions {
  const positive = (value: string | undefined, fallback: number) => {
    const number = Number(value);
    return value !== undefined && Number.isInteger(number) && number > 0 ? number : fallback;
  };
  return {
    perToken: positive(env.BATON_STREAMS_PER_TOKEN, defaultStreamLimits.perToken),
    perIp: positive(env.BATON_STREAMS_PER_IP, defaultStreamLimits.perIp),
    idleMs: positive(env.BATON_STREAM_IDLE_SECONDS, defaultStreamLimits.idleMs / 1000) * 1000,
  };
}
