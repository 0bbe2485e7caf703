/**
 * A customer's data across Baton's collections, found and deleted for an erasure (issue 16): the
 * conversations' read model (`customer.id`), their tickets (with notes and packets), surveys,
 * ticket feedback, intent corrections, typing records and ticket claims. Conversations link to a
 * customer by `customer.id`; every other record links to one of those conversations (or, for
 * tickets and surveys, to the customer directly). Deleting is idempotent: a repeat deletes nothing.
 */
import type { Db } from 'mongodb';
import { collections } from './collections';
import { inboxCollections } from './inbox';
import { forgetConversations } from './read-models';
import { forgetTicketMeasures } from './read-model-measures-store';
import { typingCollection } from './typing';

/** What an erasure of one customer removes, by kind (ids), and which conversations are still open. */
export interface CustomerInventory {
  customerId: string;
  conversations: string[];
  /** Conversations not ended yet: ended (with a message) before anything is deleted. */
  openConversations: string[];
  tickets: string[];
  surveys: string[];
  ticketFeedback: string[];
  corrections: string[];
  typing: string[];
}

export type ErasedCounts = Record<
  'conversations' | 'tickets' | 'ticketClaims' | 'surveys' | 'ticketFeedback' | 'corrections' | 'typing',
  number
>;

const ids = (docs: { _id: unknown }[]): string[] => docs.map((doc) => String(doc._id));

/** Finds everything stored about `customerId` (nothing found: every list empty). */
export async function customerInventory(
  db: Db,
  customerId: string,
  /** Conversations known to be the customer's already (a resumed erasure whose read model is gone). */
  knownConversations: readonly string[] = [],
): Promise<CustomerInventory> {
  const conversationDocs = await db
    .collection<{ _id: string; status?: string }>(collections.conversations)
    .find({ 'customer.id': customerId }, { projection: { _id: 1, status: 1 } })
    .toArray();
  const conversations = [...new Set([...knownConversations, ...ids(conversationDocs)])];
  const byConversation = { conversationId: { $in: conversations } };
  const [tickets, surveys, ticketFeedback, corrections, typing] = await Promise.all([
    db
      .collection(collections.tickets)
      .find({ $or: [byConversation, { 'customer.id': customerId }] }, { projection: { _id: 1 } })
      .toArray(),
    db
      .collection(collections.surveys)
      .find({ $or: [byConversation, { customerId }] }, { projection: { _id: 1 } })
      .toArray(),
    db
      .collection(inboxCollections.feedback)
      .find(byConversation, { projection: { _id: 1 } })
      .toArray(),
    db
      .collection(inboxCollections.intentCorrections)
      .find(byConversation, { projection: { _id: 1 } })
      .toArray(),
    db
      .collection<{ _id: string }>(typingCollection)
      .find({ _id: { $in: conversations } }, { projection: { _id: 1 } })
      .toArray(),
  ]);
  return {
    customerId,
    conversations,
    openConversations: ids(conversationDocs.filter((doc) => doc.status !== 'ended')),
    tickets: ids(tickets),
    surveys: ids(surveys),
    ticketFeedback: ids(ticketFeedback),
    corrections: ids(corrections),
    typing: ids(typing),
  };
}

/** True when nothing at all is stored about the customer. */
export function inventoryIsEmpty(inventory: CustomerInventory): boolean {
  return inventory.conversations.length === 0 && inventory.tickets.length === 0 && inventory.surveys.length === 0;
}

export type ErasedKind = keyof ErasedCounts;

export interface DeleteRecordsOptions {
  /** Ids deleted per command (bounded work per step); 200 by default. */
  batchSize?: number;
  /** Counts carried from an earlier attempt of the same step (its heartbeat), added to. */
  counted?: Partial<ErasedCounts>;
  /** Called after each batch with the counts so far (the activity heartbeats them). */
  afterBatch?: (counts: ErasedCounts, kind: ErasedKind) => Promise<void> | void;
}

const escapeRegex = (id: string): string => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Deletes what the inventory lists (and the tickets' claims), kind by kind in bounded batches, the
 * conversations last; idempotent, so an attempt cut off after some batches is finished by the next.
 */
export async function deleteCustomerRecords(
  db: Db,
  inventory: CustomerInventory,
  options: DeleteRecordsOptions = {},
): Promise<ErasedCounts> {
  const batchSize = options.batchSize ?? 200;
  const counts: ErasedCounts = {
    typing: 0,
    corrections: 0,
    ticketFeedback: 0,
    surveys: 0,
    ticketClaims: 0,
    tickets: 0,
    conversations: 0,
    ...options.counted,
  };
  const plan: [ErasedKind, string, string[]][] = [
    ['typing', typingCollection, inventory.typing],
    ['corrections', inboxCollections.intentCorrections, inventory.corrections],
    ['ticketFeedback', inboxCollections.feedback, inventory.ticketFeedback],
    ['surveys', collections.surveys, inventory.surveys],
    ['ticketClaims', collections.ticketClaims, inventory.tickets],
    ['tickets', collections.tickets, inventory.tickets],
    ['conversations', collections.conversations, inventory.conversations],
  ];
  for (const [kind, name, list] of plan) {
    for (let offset = 0; offset < list.length; offset += batchSize) {
      const batch = list.slice(offset, offset + batchSize);
      // A claim's _id is `<ticketId>…` (one per round of claiming): removed with its ticket.
      const filter =
        kind === 'ticketClaims'
          ? { $or: batch.map((id) => ({ _id: { $regex: `^${escapeRegex(id)}` } })) }
          : { _id: { $in: batch } };
      // The inbox's read-model items are found through the projection: removed before it goes.
      if (kind === 'conversations') await forgetConversations(db, batch);
      // The dashboard's failed-handoff rows name the tickets: they go with them (the figures stay).
      if (kind === 'tickets') await forgetTicketMeasures(db, batch);
      const { deletedCount } = await db.collection<{ _id: string }>(name).deleteMany(filter);
      counts[kind] += deletedCount;
      await options.afterBatch?.(counts, kind);
    }
  }
  return counts;
}
