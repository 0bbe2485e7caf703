/**
 * The read models agents and dashboards read all day (docs/performance.md "## Scaling"), written by
 * the one projection (conversations.ts `saveConversation`): the inbox (open items, and closed ones
 * changed in the last days) under a time-ordered `_id`, counters per inbox status, queue, assignee and
 * conversation state, the overlay per journey version, and the measures per journey version and day.
 *
 * A write applies the difference between the stored projection's share and the new one's
 * (read-model-shapes.ts), and only when the projection was written: a retried or replayed write
 * (same projection) and a stale one (refused) change nothing. `rebuildReadModels` recomputes them all
 * from the conversations (on startup when the version marker is missing, or `baton`'s upgrade).
 *
 * FerretDB 1.x on SQLite serves from SQLite only `{ _id }` lookups and an unfiltered, unsorted read
 * with a limit (storage order); any sort, even `$natural` on a capped collection, decodes the whole
 * collection first. The inbox is read there in storage order, which is change order because an item
 * whose key changes is inserted anew; MongoDB reads it by `_id`.
 */
import type { Collection, Db, Document } from 'mongodb';
import type { InboxItem } from '@baton/schemas';
import { collections } from './collections';
import { insertOnce } from './documents';
import { isDuplicateKeyError } from './errors';
import { applyShares, nested, rebuildMeasures } from './read-model-measures-store';
import {
  forgetConversations,
  itemFields,
  closedKeyed,
  itemOf,
  keyedCollections,
  keyedSource,
  matchAll,
  moveItem,
  readItems,
  reconcileItems,
  type InboxFilter,
  type ItemDoc,
} from './read-model-items';
import {
  addShares,
  projectionFieldsProjection,
  readModelCollections,
  readModelVersion,
  sharesDiff,
  sharesOf,
  type ProjectionFields,
  type Shares,
} from './read-model-shapes';
import type { WireServer } from './wire';

export { readModelCollections, readModelVersion, inboxKey, projectionFieldsProjection } from './read-model-shapes';
export { forgetConversations, matchAll, type InboxFilter } from './read-model-items';

/** Closed items stay in the inbox this many days after their last change (BATON_INBOX_CLOSED_DAYS). */
export function inboxClosedDays(): number {
  const value = Number(process.env.BATON_INBOX_CLOSED_DAYS);
  return Number.isFinite(value) && value > 0 ? value : 7;
}

/** A read model's document: a string key and its figures. */
export interface KeyedDoc extends Document {
  _id: string;
}

export class ReadModels {
  constructor(
    private readonly db: Db,
    private readonly server: WireServer,
  ) {}

  /** Whether this server reads the inbox in `$natural` order (FerretDB) rather than by `_id` (MongoDB). */
  get natural(): boolean {
    return !this.server.compoundFiltersUseIndexes;
  }

  collection<T extends Document = Document>(name: string): Collection<T> {
    return this.db.collection<T>(name);
  }

  /**
   * Applies one projection write: `before` is the stored projection it replaced (null for a first
   * write), `after` the one written. Call only when the write happened.
   */
  async apply(before: ProjectionFields | null, after: ProjectionFields): Promise<void> {
    await moveItem(this.db, before, after);
    const diff = sharesDiff(sharesOf(before), sharesOf(after));
    if (!this.natural) return this.applyShares(diff);
    // FerretDB applies `$inc` as a read then a write: concurrent ones lose counts. One at a time here.
    const turn = this.sharesTurn.then(() => this.applyShares(diff));
    this.sharesTurn = turn.catch(() => undefined);
    return turn;
  }

  private sharesTurn: Promise<void> = Promise.resolve();

  private applyShares(diff: Shares): Promise<void> {
    return applyShares(this.db, diff);
  }

  /** Creates the inbox's collections unless they exist (plain collections: `_id` is their only index). */
  async ensureCollections(): Promise<void> {
    const existing = new Set(
      (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name),
    );
    for (const name of [readModelCollections.inboxOpen, readModelCollections.inboxClosed]) {
      if (existing.has(name)) continue;
      try {
        await this.db.createCollection(name);
      } catch (error) {
        // Created meanwhile by another process.
        if ((error as { code?: number }).code !== 48) throw error;
      }
    }
  }

  /** On startup: creates the collections, and rebuilds the read models when their marker is missing or older. */
  async ensure(): Promise<void> {
    await this.ensureCollections();
    const marker = await this.collection<{ _id: string; version?: number }>(readModelCollections.meta).findOne({
      _id: 'version',
    });
    if (marker?.version === readModelVersion) return;
    // One process rebuilds (the API and the worker start together); a lock older than 10 minutes was a crash's.
    const locks = this.collection<{ _id: string; at: Date }>(readModelCollections.meta);
    const stale = new Date(Date.now() - 600_000);
    const held = await locks.findOne({ _id: 'rebuilding' });
    if (held && held.at > stale) return;
    if (held) await locks.deleteOne({ _id: 'rebuilding' });
    if (!(await insertOnce(locks, { _id: 'rebuilding', at: new Date() }))) return;
    try {
      // Another process may have rebuilt between our reading the marker and taking the lock.
      const again = await locks.findOne({ _id: 'version' });
      if ((again as { version?: number } | null)?.version === readModelVersion) return;
      await rebuildReadModels(this.db, this.server);
    } finally {
      await locks.deleteOne({ _id: 'rebuilding' });
    }
  }

  /**
   * Items of one side of the inbox (open, or closed) that match, until `limit` matched or `scanLimit`
   * were read. Order: on MongoDB by `_id` (change time); on FerretDB in storage order, which is also
   * change order (an item whose key changes is inserted anew), the only order it reads without
   * decoding the whole collection: the open side oldest change first (the longest waiting first),
   * the closed side newest first only on MongoDB (FerretDB: the oldest of its last days first).
   */
  async inboxItems(
    open: boolean,
    limit: number,
    match: (item: InboxItem) => boolean = matchAll,
    scanLimit = 5_000,
  ): Promise<InboxItem[]> {
    const name = open ? readModelCollections.inboxOpen : readModelCollections.inboxClosed;
    const order = { natural: this.natural, ascending: open };
    return readItems(this.collection<ItemDoc>(name), order, limit, match, scanLimit);
  }

  /**
   * The items of one side a filtered stream asks for, in that side's order: a ticket's status, queue
   * or assignee is read from its own collection (read-model-items.ts `keyedSource`), never the whole
   * side; a read by status `bot` or `closed` reads the side until `limit` matched or `scanLimit` read.
   */
  async sideItems(
    open: boolean,
    filter: InboxFilter,
    limit: number,
    match: (item: InboxItem) => boolean,
    scanLimit = 5_000,
  ): Promise<InboxItem[]> {
    const keyed = keyedSource(filter, open);
    if (!keyed) return this.inboxItems(open, limit, match, scanLimit);
    const order = { natural: this.natural, ascending: open };
    const all = this.collection<ItemDoc>(keyed.name);
    return readItems(all, order, limit, keyed.exact ? matchAll : match, scanLimit);
  }

  /** `sideItems` of the open side. */
  async openItems(filter: InboxFilter, limit: number, match: (item: InboxItem) => boolean): Promise<InboxItem[]> {
    return this.sideItems(true, filter, limit, match);
  }

  /** Every counter: per inbox status (`s:`), queue (`q:`), assignee (`a:`) and conversation state (`c:`). */
  async counters(): Promise<KeyedDoc[]> {
    return this.collection<KeyedDoc>(readModelCollections.counts).find({}).toArray();
  }

  /** The overlay of one journey version, or null when none of its conversations was projected. */
  async overlay(journeyId: string, version: number): Promise<KeyedDoc | null> {
    return this.collection<KeyedDoc>(readModelCollections.overlay).findOne({ _id: `${journeyId}@${version}` });
  }

  /** The measures of the given journey versions and months (`<journey>@<version>@<yyyy-mm>`, days under `d<dd>`). */
  async days(ids: readonly string[]): Promise<KeyedDoc[]> {
    const days = this.collection<KeyedDoc>(readModelCollections.days);
    const found = await Promise.all(ids.map((id) => days.findOne({ _id: id })));
    return found.filter((doc): doc is KeyedDoc => doc !== null);
  }

  /**
   * Removes closed items older than `days` from the closed side and the resolved tickets' collections
   * (oldest first, at most `max` per collection and call, each by `_id`): what the inbox reader runs now and then.
   */
  async pruneClosed(now: number, days = inboxClosedDays(), max = 2_000): Promise<number> {
    const cutoff = String(Math.floor(now - days * 86_400_000)).padStart(15, '0');
    const names = [readModelCollections.inboxClosed, ...(await keyedCollections(this.db)).filter(closedKeyed)];
    let removed = 0;
    for (const name of names) {
      const closed = this.collection<ItemDoc>(name);
      const oldest = await closed
        .find({}, { projection: { _id: 1 } })
        .sort(this.natural ? {} : { _id: 1 })
        .limit(max)
        .toArray();
      for (const { _id } of oldest) {
        if (_id >= cutoff) {
          if (!this.natural) break;
          continue;
        }
        removed += (await closed.deleteOne({ _id })).deletedCount;
      }
    }
    return removed;
  }

  /**
   * Puts open items (the open side and the open tickets' collections per status, queue and assignee)
   * in line with their conversations' stored projections (read-model-items.ts `reconcileItems`). The
   * inbox reader runs it with `pruneClosed`.
   */
  async reconcileOpen(max = 5_000): Promise<number> {
    return reconcileItems(this.db, max);
  }

  /** Erasure: removes the conversations' inbox items (counters and aggregates keep their numbers). */
  async forgetConversations(conversationIds: readonly string[]): Promise<number> {
    await this.collection<KeyedDoc>(readModelCollections.ended).deleteMany({ _id: { $in: [...conversationIds] } });
    return forgetConversations(this.db, conversationIds);
  }

  /** True for the first process to mark this conversation's move to ended (`readModelCollections.ended`). */
  claimEnded(conversationId: string): Promise<boolean> {
    return insertOnce(this.collection<KeyedDoc>(readModelCollections.ended), { _id: conversationId });
  }
}

/** A bulk insert's failure made only of duplicate keys. */
function onlyDuplicates(error: unknown): boolean {
  const entries = (error as { writeErrors?: unknown }).writeErrors;
  return Array.isArray(entries) ? entries.every((entry) => isDuplicateKeyError(entry)) : isDuplicateKeyError(error);
}

/**
 * Writes the read models of the given stored projections from scratch (the collections must be
 * empty): the same shares and items the projection writes one at a time, summed and inserted in bulk.
 * Streams the projections; keeps only the counters and the inbox's items (open, and closed recently).
 */
export async function writeReadModels(
  db: Db,
  docs: Iterable<ProjectionFields> | AsyncIterable<ProjectionFields>,
  options: { batch?: number; now?: number } = {},
): Promise<{ conversations: number }> {
  const batch = options.batch ?? 1_000;
  const total: Shares = new Map();
  const items = new Map<string, ItemDoc[]>();
  const cutoff = (options.now ?? Date.now()) - inboxClosedDays() * 86_400_000;
  let conversations = 0;
  for await (const doc of docs) {
    conversations += 1;
    addShares(total, sharesOf(doc));
    const item = itemOf(doc);
    if (item.names[0] === readModelCollections.inboxClosed && (doc.updatedAt ?? 0) < cutoff) continue;
    for (const name of item.names) {
      const rows = items.get(name) ?? [];
      items.set(name, rows);
      rows.push(item.doc);
    }
  }
  const insert = async (name: string, rows: Document[]) => {
    for (let i = 0; i < rows.length; i += batch) {
      try {
        await db.collection(name).insertMany(rows.slice(i, i + batch), { ordered: false });
      } catch (error) {
        // A process projecting meanwhile wrote that document first (the rest of the batch went in):
        // its write is as new as ours. Anything else is an error.
        if (!onlyDuplicates(error)) throw error;
      }
    }
  };
  // Oldest change first: the order FerretDB reads back is insertion order.
  const byKey = (a: ItemDoc, b: ItemDoc) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
  for (const [name, rows] of items) await insert(name, rows.sort(byKey));
  for (const [name, rows] of total)
    await insert(
      name,
      [...rows].map(([id, { inc, set }]) => ({ _id: id, ...set, ...nested(inc) })),
    );
  return { conversations };
}

/**
 * Recomputes every read model from the conversations collection (an upgrade of an existing store, or
 * repair): drops them, writes them again, then the version marker. Run while nothing projects.
 */
export async function rebuildReadModels(db: Db, server: WireServer, batch = 1_000): Promise<{ conversations: number }> {
  for (const name of [...Object.values(readModelCollections), ...(await keyedCollections(db))])
    if (name !== readModelCollections.meta)
      await db
        .collection(name)
        .drop()
        .catch(() => false);
  await new ReadModels(db, server).ensureCollections();
  const cursor = db
    .collection<ProjectionFields>(collections.conversations)
    .find({}, { batchSize: batch, projection: { ...projectionFieldsProjection, ...itemFields } });
  const written = await writeReadModels(db, cursor, { batch });
  await rebuildMeasures(db, batch);
  await db
    .collection<{ _id: string; version: number; at: Date }>(readModelCollections.meta)
    .replaceOne({ _id: 'version' }, { version: readModelVersion, at: new Date() }, { upsert: true });
  return written;
}
