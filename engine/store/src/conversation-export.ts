/**
 * The conversations' read model read for an export (`GET /api/conversations/export`): every stored
 * conversation that started in a time range, optionally of one journey, one at a time, in pages.
 *
 * Paged by `_id` (the conversation id), the only filter FerretDB 1.x on SQLite pushes down: each page
 * is `{ _id: { $gt: last } }` sorted by `_id`, and the time range and journey are checked here, in the
 * page. So an export reads the whole collection whatever its range (on MongoDB through the `_id`
 * index; on the embedded store each page also decodes and sorts what is left of the collection), and
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
  let after: string | undefined;
  for (;;) {
    if (query.signal?.aborted) return;
    const page = await conversations
      .find(after === undefined ? {} : { _id: { $gt: after } })
      .sort({ _id: 1 })
      .limit(pageSize)
      .toArray();
    for (const doc of page) {
      const startedAt = doc.startedAt as unknown;
      if (typeof startedAt !== 'number' || startedAt < query.from || startedAt >= query.to) continue;
      if (query.journeyId !== undefined && doc.journeyId !== query.journeyId) continue;
      yield restored<ConversationRecord>(doc, ['transcriptLength']);
    }
    if (page.length < pageSize) return;
    after = page[page.length - 1]?._id;
  }
}
