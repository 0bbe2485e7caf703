/**
 * The conversations' read model read for an export (`GET /api/conversations/export`): every stored
 * conversation that started in a time range, optionally of one journey, one at a time.
 *
 * One cursor over the whole collection in its natural order, fetched in pages (`batchSize`, getMore),
 * with the time range and journey checked here in each page: FerretDB 1.x on SQLite serves no filter
 * but a bare `_id` from an index, so a filtered or sorted read would decode the collection anyway, and
 * paging by `_id` (`{ _id: { $gt: last } }` sorted) decodes and sorts what is left of it for every
 * page: measured 91 s for 4,000 stored conversations against 7 s for this cursor. So an export reads
 * the whole collection whatever its range (about 1.5 ms a conversation on the embedded store), and
 * holds at most one page in memory. It is a batch job for analytics, not a read an agent waits on.
 */
import type { Document } from 'mongodb';
import { collections } from './collections';
import { restored } from './documents';
import type { Store } from './store';
import type { ConversationRecord } from './types';

export interface ConversationExportQuery {
  /** Conversations that started at or after this time (ms since the epoch). */
  from: number;
  /** … and before this time (ms, exclusive). */
  to: number;
  journeyId?: string;
  /** Conversations read per page (default 200). */
  pageSize?: number;
  /** Stop reading (the client went away): checked between pages. */
  signal?: AbortSignal;
}

export const defaultExportPageSize = 200;

/** The stored conversations that started in `[from, to)` (of `journeyId` when given), in `_id` order. */
export async function* exportConversations(
  store: Pick<Store, 'collection'>,
  query: ConversationExportQuery,
): AsyncGenerator<ConversationRecord> {
  const pageSize = query.pageSize ?? defaultExportPageSize;
  const conversations = store.collection<Document & { _id: string }>(collections.conversations);
  // One cursor over the collection in its natural order, fetched a page (getMore) at a time.
  const cursor = conversations.find({}, { batchSize: pageSize });
  try {
    for await (const doc of cursor) {
      if (query.signal?.aborted) return;
      const startedAt = doc.startedAt as unknown;
      if (typeof startedAt !== 'number' || startedAt < query.from || startedAt >= query.to) continue;
      if (query.journeyId !== undefined && doc.journeyId !== query.journeyId) continue;
      yield restored<ConversationRecord>(doc, ['transcriptLength']);
    }
  } finally {
    await cursor.close();
  }
}
