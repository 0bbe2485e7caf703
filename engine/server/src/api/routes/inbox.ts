/**
 * The agents' inbox: the ticket list, and one stream of bot and human conversations (the items),
 * read from the inbox read model (engine/store read-models.ts), never a scan of the conversations.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { InboxList, type InboxItem } from '@baton/schemas';
import { matchAll, type Store } from '@baton/store';
import { parseOrThrow } from '../problem';
import { register, route } from './route';

const InboxQuery = z.object({
  status: z.enum(['pending', 'open', 'resolved']).optional(),
  queue: z.string().max(100).optional(),
  assignee: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const inboxStatuses = ['bot', 'pending', 'open', 'resolved', 'closed'] as const;
export type InboxStatus = (typeof inboxStatuses)[number];

const ItemsQuery = z.object({
  status: z.enum(inboxStatuses).optional(),
  queue: z.string().max(100).optional(),
  assignee: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const tag = 'inbox';
export const inboxTable = {
  tickets: route({
    method: 'get',
    path: '/api/inbox',
    audience: ['agent'],
    tag,
    summary: 'The tickets, by status, queue and assignee',
    query: InboxQuery,
  }),
  items: route({
    method: 'get',
    path: '/api/inbox/items',
    audience: ['agent'],
    tag,
    summary: 'One stream of bot and human conversations, with counts per status, the queues and the assignees',
    query: ItemsQuery,
    response: InboxList,
  }),
};

/** What one read of the inbox's stream answers: the items of the query, newest change first, and the counters. */
export interface StreamSources {
  items: InboxItem[];
  counters: { _id: string; n?: number; status?: string; queue?: string; agent?: { id: string; name: string } }[];
}

type ItemsQuery = z.infer<typeof ItemsQuery>;

const openStatuses = new Set(['pending', 'open', 'bot']);
/** Closed items older than the inbox keeps are removed at most this often, by one API process's reads. */
const pruneEveryMs = 600_000;

/**
 * Reads the inbox's stream from its read model (engine/store read-models.ts): the open items (tickets
 * pending or open, conversations with the bot; a stream filtered by status, queue or assignee reads the
 * open tickets kept for that status, queue or assignee, not the whole open side), then the closed ones changed lately (ReadModels
 * `inboxItems` says in which order), at most the query's limit and never a scan of the conversations; and the counters
 * per status, queue and assignee. Requests with the same query that arrive together share one read,
 * unless a ticket changed through this process since it began, so an agent sees their own claim or
 * answer at once.
 */
export class InboxStreamSources {
  private generation = 0;
  private changesUnderway = 0;
  private readonly inFlight = new Map<string, { generation: number; read: Promise<StreamSources> }>();
  private lastPrune = 0;
  /** Store reads started (for tests and metrics). */
  reads = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A request that may change a ticket begins; call the answer when its response is done. Until
   * then and from then on, no request joins a read that started earlier.
   */
  changing(): () => void {
    this.generation += 1;
    this.changesUnderway += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.changesUnderway -= 1;
      this.generation += 1;
    };
  }

  get(query: Partial<ItemsQuery> = {}): Promise<StreamSources> {
    const key = JSON.stringify([query.status, query.queue, query.assignee, query.limit]);
    const shared = this.inFlight.get(key);
    if (shared && shared.generation === this.generation && this.changesUnderway === 0) return shared.read;
    this.reads += 1;
    this.prune();
    const read = this.read(query);
    const entry = { generation: this.generation, read };
    this.inFlight.set(key, entry);
    const done = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    read.then(done, done);
    return read;
  }

  private async read(query: Partial<ItemsQuery>): Promise<StreamSources> {
    const limit = query.limit ?? 200;
    const filtered = query.status !== undefined || query.queue !== undefined || query.assignee !== undefined;
    const match = filtered
      ? (item: InboxItem) =>
          (query.status === undefined || item.status === query.status) &&
          (query.queue === undefined || item.queue === query.queue) &&
          (query.assignee === undefined || item.assignee?.id === query.assignee)
      : matchAll;
    const models = this.store.readModels;
    const [items, counters] = await Promise.all([
      query.status !== undefined && !openStatuses.has(query.status)
        ? Promise.resolve([])
        : models.openItems(query, limit, match),
      models.counters(),
    ]);
    if (items.length < limit && (query.status === undefined || !openStatuses.has(query.status)))
      // The closed side only fills the page: a filtered read scans a bounded part of it.
      items.push(...(await models.sideItems(false, query, limit - items.length, match, Math.max(limit, 500))));
    return { items, counters: counters as StreamSources['counters'] };
  }

  /**
   * Now and then (in the background): closed items past the inbox's days leave it, and open items a
   * crash left behind are put in line with their conversations (read-models.ts `reconcileOpen`).
   */
  private prune(): void {
    const now = this.now();
    if (now - this.lastPrune < pruneEveryMs) return;
    this.lastPrune = now;
    this.store.readModels.pruneClosed(now).catch(() => undefined);
    this.store.readModels.reconcileOpen().catch(() => undefined);
  }
}

const priorityRank: Record<string, number> = { urgent: 3, high: 2, normal: 1, low: 0 };
const statusOrder: Record<string, number> = { pending: 0, open: 1, bot: 2, resolved: 3, closed: 4 };

/** Items per status: the counters of the whole store (per queue or assignee when filtered by one). */
function countsOf(query: ItemsQuery, sources: StreamSources): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(inboxStatuses.map((status) => [status, 0]));
  if (query.queue !== undefined && query.assignee !== undefined) {
    for (const item of sources.items) counts[item.status] = (counts[item.status] ?? 0) + 1;
    return counts;
  }
  const prefix =
    query.queue !== undefined ? `q:${query.queue}:` : query.assignee !== undefined ? `a:${query.assignee}:` : 's:';
  for (const counter of sources.counters) {
    if (!counter._id.startsWith(prefix) || typeof counter.status !== 'string') continue;
    counts[counter.status] = Math.max(0, counter.n ?? 0);
  }
  return counts;
}

export interface InboxRoutesOptions {
  store: Store;
  /** The stream's shared read; createApp passes the one its ticket routes mark as changed. */
  stream?: InboxStreamSources;
}

export function inboxRoutes(options: InboxRoutesOptions): Router {
  const { store } = options;
  const stream = options.stream ?? new InboxStreamSources(store);
  const router: Router = express.Router();

  register(router, inboxTable.tickets, async (req, res) => {
    const query = parseOrThrow(inboxTable.tickets.query, req.query, 'query');
    res.json({ tickets: await store.listTickets(query) });
  });

  register(router, inboxTable.items, async (req, res) => {
    const query = parseOrThrow(inboxTable.items.query, req.query, 'query');
    const sources = await stream.get(query);
    const selected = [...sources.items].sort(
      (a, b) =>
        (statusOrder[a.status] ?? 5) - (statusOrder[b.status] ?? 5) ||
        (priorityRank[b.priority ?? ''] ?? -1) - (priorityRank[a.priority ?? ''] ?? -1) ||
        b.updatedAt - a.updatedAt ||
        a.id.localeCompare(b.id),
    );
    const live = sources.counters.filter((counter) => (counter.n ?? 0) > 0);
    const queues = [...new Set(live.flatMap((counter) => (counter._id.startsWith('q:') ? [counter.queue ?? ''] : [])))]
      .filter(Boolean)
      .sort();
    const assignees = [
      ...new Map(
        live.flatMap((counter) =>
          counter._id.startsWith('a:') && counter.agent ? [[counter.agent.id, counter.agent] as const] : [],
        ),
      ).values(),
    ];
    res.json({ items: selected.slice(0, query.limit), counts: countsOf(query, sources), queues, assignees });
  });

  return router;
}
