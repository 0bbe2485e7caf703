/**
 * The inbox read model's items (docs/performance.md "## Scaling"): one per conversation on its side
 * (`inbox_open` or `inbox_closed`) and, for a ticket, again in the collection of its status, of its
 * queue and of its assignee (`inbox_by_*`; resolved tickets in their own, `inbox_by_r*`, pruned with
 * the closed side), under the same time-ordered key.
 *
 * FerretDB 1.x on SQLite serves from SQLite only a bare `{ _id }` filter and an unfiltered read with a
 * limit: a filter on `queue` or `assignee` decodes every document of the collection. A collection per
 * status, queue and assignee is the shape it reads without decoding the whole open side; each item is
 * written and removed by `_id` alone, as on the sides, so two processes projecting at once need no
 * more than the sides do.
 */
import { createHash } from 'node:crypto';
import type { Collection, Db, Document } from 'mongodb';
import type { InboxItem } from '@baton/schemas';
import { collections } from './collections';
import { decodeValue } from './codec';
import {
  inboxItemOf,
  inboxPlace,
  keyedInboxPrefix,
  projectionFieldsProjection,
  readModelCollections,
  type ProjectionFields,
} from './read-model-shapes';

/**
 * An inbox item is kept as one JSON string: FerretDB converts every field of a document it reads,
 * and reading 200 items took 252 ms as documents, 43 ms as strings (2,000 items, load 17). The string
 * is the item as answered (decoded from the stored form when written): a read only parses it (the
 * codec's decoding was a third of the API's CPU in the stream's reads, 2026-12-06).
 */
export interface ItemDoc extends Document {
  _id: string;
  j: string;
}

/** The match of an unfiltered read. */
export const matchAll = (): boolean => true;

/**
 * The open tickets of one status (pending, open), queue or assignee (`s`, `q`, `a`); the resolved ones
 * (in the closed side's days) of one queue or assignee (`rq`, `ra`), and all of them (`rs`).
 */
export function keyedCollection(dimension: 's' | 'q' | 'a' | 'rs' | 'rq' | 'ra', value: string): string {
  return `${keyedInboxPrefix}${dimension}_${createHash('sha256').update(value).digest('hex').slice(0, 24)}`;
}

/** What a filtered stream asks for. */
export interface InboxFilter {
  status?: string;
  queue?: string;
  assignee?: string;
}

/**
 * The collection a filtered read of one side reads instead of the whole side (the narrowest:
 * assignee, then queue, then status), and whether the query asks for nothing else (then no match is
 * needed and FerretDB gets the limit). None for an unfiltered read, or one by status `bot` or `closed`.
 */
export function keyedSource(filter: InboxFilter, open = true): { name: string; exact: boolean } | undefined {
  const asked = [filter.status, filter.queue, filter.assignee].filter((value) => value !== undefined).length;
  const statuses = open ? ['pending', 'open'] : ['resolved'];
  if (filter.status !== undefined && !statuses.includes(filter.status)) return undefined;
  const name =
    filter.assignee !== undefined
      ? keyedCollection(open ? 'a' : 'ra', filter.assignee)
      : filter.queue !== undefined
        ? keyedCollection(open ? 'q' : 'rq', filter.queue)
        : filter.status !== undefined
          ? keyedCollection(open ? 's' : 'rs', filter.status)
          : undefined;
  return name === undefined ? undefined : { name, exact: asked === 1 };
}

/** Whether a keyed collection holds resolved tickets (pruned with the closed side) rather than open ones. */
export const closedKeyed = (name: string): boolean => name.startsWith(`${keyedInboxPrefix}r`);

/** Where a conversation's item is kept: its key, its side, and an open ticket's keyed collections. */
export function itemPlaces(
  doc: ProjectionFields,
  item: InboxItem = inboxItemOf(doc),
): { key: string; names: string[] } {
  const place = inboxPlace(doc);
  const names: string[] = [place.open ? readModelCollections.inboxOpen : readModelCollections.inboxClosed];
  if (item.kind === 'ticket') {
    names.push(keyedCollection(place.open ? 's' : 'rs', item.status));
    if (item.queue !== null) names.push(keyedCollection(place.open ? 'q' : 'rq', item.queue));
    if (item.assignee) names.push(keyedCollection(place.open ? 'a' : 'ra', item.assignee.id));
  }
  return { key: place.key, names };
}

/** The item document of a stored projection, and where it goes. */
export function itemOf(doc: ProjectionFields): { doc: ItemDoc; names: string[] } {
  const item = inboxItemOf(doc);
  const { key, names } = itemPlaces(doc, item);
  return { doc: { _id: key, j: JSON.stringify(decodeValue(item)) }, names };
}

async function writeItem(target: Collection<ItemDoc>, doc: ItemDoc): Promise<void> {
  // A replace keeps an item's place in storage order; a changed key is a new insert (the last).
  const replaced = await target.replaceOne({ _id: doc._id }, doc);
  if (replaced.matchedCount > 0) return;
  try {
    await target.insertOne(doc);
  } catch (error) {
    // A concurrent twin inserted it first: the same item.
    if ((error as { code?: number }).code !== 11000) throw error;
    await target.replaceOne({ _id: doc._id }, doc);
  }
}

/**
 * Moves one conversation's item from where the stored projection `before` put it (none for a first
 * write) to where `after` puts it: removed by `_id` where it no longer is (another collection, or the
 * same under an older key), then written by `_id` everywhere it is.
 */
export async function moveItem(db: Db, before: ProjectionFields | null, after: ProjectionFields): Promise<void> {
  const now = itemOf(after);
  const was = before ? itemPlaces(before) : null;
  if (was) {
    const gone = was.names.filter((name) => was.key !== now.doc._id || !now.names.includes(name));
    await Promise.all(gone.map((name) => db.collection<ItemDoc>(name).deleteOne({ _id: was.key })));
  }
  await Promise.all(now.names.map((name) => writeItem(db.collection<ItemDoc>(name), now.doc)));
}

/**
 * Items of one collection that match, until `limit` matched or `scanLimit` were read: on MongoDB by
 * `_id` (ascending or not), on FerretDB (`natural`) in storage order, the only order it reads without
 * decoding the whole collection. An unfiltered read asks for `limit` only: FerretDB pushes it down.
 */
export async function readItems(
  all: Collection<ItemDoc>,
  order: { natural: boolean; ascending: boolean },
  limit: number,
  match: (item: InboxItem) => boolean,
  scanLimit: number,
): Promise<InboxItem[]> {
  const everything = match === matchAll;
  const find = all.find({}, { batchSize: Math.min(limit, 500) });
  const cursor = (order.natural ? find : find.sort({ _id: order.ascending ? 1 : -1 })).limit(
    everything ? limit : scanLimit,
  );
  const items: InboxItem[] = [];
  try {
    for await (const doc of cursor) {
      const item = JSON.parse(doc.j) as InboxItem;
      if (match(item)) items.push(item);
      if (items.length >= limit) break;
    }
  } finally {
    await cursor.close();
  }
  return items;
}

/** The keyed collections that exist (for a rebuild, repair and erasure). */
export async function keyedCollections(db: Db): Promise<string[]> {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  return all.map((collection) => collection.name).filter((name) => name.startsWith(keyedInboxPrefix));
}

const conversationId = (key: string) => key.slice(key.indexOf(':') + 1);

/** The further fields an inbox item shows. */
export const itemFields = {
  customer: 1,
  journey: 1,
  channel: 1,
  intent: 1,
  sentiment: 1,
  transcript: 1,
} as const;

/**
 * Puts open items in line with their conversations' stored projections: a process that died between
 * the projection write and the item writes left an item at its old key or place, or none. One read
 * by `_id` per item of the open side (at most `max`) and one read of the keys of each collection per
 * status, queue and assignee; a wrong item is removed and the right ones written.
 */
export async function reconcileItems(db: Db, max: number): Promise<number> {
  const conversations = db.collection<ProjectionFields>(collections.conversations);
  const storedOf = (key: string) =>
    conversations.findOne(
      { _id: conversationId(key) },
      { projection: { ...projectionFieldsProjection, ...itemFields } },
    );
  const keysOf = async (name: string) =>
    new Set(
      (
        await db
          .collection<ItemDoc>(name)
          .find({}, { projection: { _id: 1 } })
          .limit(max)
          .toArray()
      ).map((doc) => doc._id),
    );
  const keyed = new Map<string, Set<string>>();
  for (const name of await keyedCollections(db)) if (!closedKeyed(name)) keyed.set(name, await keysOf(name));
  const open = db.collection<ItemDoc>(readModelCollections.inboxOpen);
  const openKeys = await keysOf(readModelCollections.inboxOpen);
  let fixed = 0;
  for (const key of openKeys) {
    const stored = await storedOf(key);
    const place = stored ? itemPlaces(stored) : null;
    const right = place !== null && place.key === key && place.names[0] === readModelCollections.inboxOpen;
    // Seen where it belongs: what is left in the keyed collections afterwards is not.
    const missing = right ? place.names.slice(1).filter((name) => !keyed.get(name)?.delete(key)) : [];
    if (right && missing.length === 0) continue;
    if (!right) await open.deleteOne({ _id: key });
    if (stored) await moveItem(db, null, stored);
    fixed += 1;
  }
  for (const [name, keys] of keyed)
    for (const key of keys) {
      const stored = await storedOf(key);
      const place = stored ? itemPlaces(stored) : null;
      const right = place !== null && place.key === key && place.names.includes(name);
      // Where it belongs, its open side's item beyond the keys read (or missing: written again below).
      if (right && (openKeys.size >= max || openKeys.has(key))) continue;
      if (!right) await db.collection<ItemDoc>(name).deleteOne({ _id: key });
      if (stored) await moveItem(db, null, stored);
      fixed += 1;
    }
  return fixed;
}

/** Removes the given conversations' inbox items, found through their stored projection (for erasure). */
export async function forgetConversations(db: Db, conversationIds: readonly string[]): Promise<number> {
  let removed = 0;
  for (const id of conversationIds) {
    const doc = await db
      .collection<ProjectionFields>(collections.conversations)
      .findOne({ _id: id }, { projection: projectionFieldsProjection });
    if (!doc) continue;
    const { key, names } = itemPlaces(doc);
    for (const name of [readModelCollections.inboxOpen, readModelCollections.inboxClosed])
      removed += (await db.collection<{ _id: string }>(name).deleteOne({ _id: key })).deletedCount;
    for (const name of names.slice(1)) await db.collection<{ _id: string }>(name).deleteOne({ _id: key });
  }
  return removed;
}
