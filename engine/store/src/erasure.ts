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

/** Deletes what the inventory lists (and the tickets' claims); idempotent. */
export async function deleteCustomerRecords(db: Db, inventory: CustomerInventory): Promise<ErasedCounts> {
  const byId = (list: string[]) => ({ _id: { $in: list } });
  const ticketIds = inventory.tickets;
  // A claim's _id is `<ticketId>…` (one per round of claiming): removed with its ticket.
  const claimFilter = {
    $or: ticketIds.map((id) => ({ _id: { $regex: `^${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` } })),
  };
  const [conversations, tickets, ticketClaims, surveys, ticketFeedback, corrections, typing] = await Promise.all([
    db.collection<{ _id: string }>(collections.conversations).deleteMany(byId(inventory.conversations)),
    db.collection<{ _id: string }>(collections.tickets).deleteMany(byId(ticketIds)),
    ticketIds.length === 0
      ? Promise.resolve({ deletedCount: 0 })
      : db.collection<{ _id: string }>(collections.ticketClaims).deleteMany(claimFilter),
    db.collection<{ _id: string }>(collections.surveys).deleteMany(byId(inventory.surveys)),
    db.collection<{ _id: string }>(inboxCollections.feedback).deleteMany(byId(inventory.ticketFeedback)),
    db.collection<{ _id: string }>(inboxCollections.intentCorrections).deleteMany(byId(inventory.corrections)),
    db.collection<{ _id: string }>(typingCollection).deleteMany(byId(inventory.typing)),
  ]);
  return {
    conversations: conversations.deletedCount,
    tickets: tickets.deletedCount,
    ticketClaims: ticketClaims.deletedCount,
    surveys: surveys.deletedCount,
    ticketFeedback: ticketFeedback.deletedCount,
    corrections: corrections.deletedCount,
    typing: typing.deletedCount,
  };
}
