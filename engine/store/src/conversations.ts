/**
 * The conversations' read model (`conversations`): the latest projection of each conversation, read
 * by the inbox, the lists and the metrics. Written through one function, `saveConversation`, by every
 * writer: the API (routes/shared.ts `project`: after a start, a message, with the view its Update
 * answered, a survey, an agent's action, a migration) and the worker (`baton.saveConversation`,
 * `baton.finishConversation`). A read model built on conversations starts here.
 */
import type { Collection, Db, Document, Filter } from 'mongodb';
import { collections } from './collections';
import { insertOnce, limitOf, restored, stored } from './documents';
import { isDuplicateKeyError } from './errors';
import { ReadModels } from './read-models';
import { projectionFieldsProjection, type ProjectionFields } from './read-model-shapes';
import { conversationRecordOf } from './view';
import { mongoServer, type WireServer } from './wire';
import type { ConversationQuery, ConversationRecord, ConversationSnapshot, SaveConversationResult } from './types';

/** The projection of conversations. */
export interface ConversationStore {
  /**
   * The one projection: upserts the read model of a conversation (a view, or a whole state) unless
   * the stored one is newer (`projectionRule`). Idempotent: a retried or replayed write stores the
   * same document again, and a stale one (from a slower writer) is refused, `{ written: false }`.
   */
  saveConversation(view: ConversationSnapshot): Promise<SaveConversationResult>;
  getConversation(conversationId: string): Promise<ConversationRecord | null>;
  /** Newest (updatedAt) first. */
  listConversations(query?: ConversationQuery): Promise<ConversationRecord[]>;
}

interface ConversationDoc extends Document {
  _id: string;
  conversationId: string;
  journeyId: string;
  status: string;
  updatedAt: number;
  transcriptLength: number;
}

type Progress = Pick<ConversationDoc, 'updatedAt' | 'transcriptLength' | 'status'>;

/**
 * The projection rule, once for both ways of applying it: a write replaces the stored projection
 * only when it is at least as new in workflow time and in transcript, and an ended conversation stays
 * ended. `filter` is the rule as the guard of one `replaceOne`; `holds` the same rule read in here.
 */
const projectionRule = {
  filter(incoming: Progress & { _id: string }): Filter<ConversationDoc> {
    return {
      _id: incoming._id,
      updatedAt: { $lte: incoming.updatedAt },
      transcriptLength: { $lte: incoming.transcriptLength },
      ...(incoming.status !== 'ended' && { status: { $ne: 'ended' } }),
    };
  },
  holds(incoming: Progress, current: Partial<Progress>): boolean {
    if ((current.updatedAt ?? 0) > incoming.updatedAt) return false;
    if ((current.transcriptLength ?? 0) > incoming.transcriptLength) return false;
    return !(current.status === 'ended' && incoming.status !== 'ended');
  },
};

export class MongoConversationStore implements ConversationStore {
  private readonly conversations: Collection<ConversationDoc>;
  /** Projection writes of one conversation in flight in this process, chained (see saveConversationById). */
  private readonly projectionWrites = new Map<string, Promise<unknown>>();
  /** The read models derived from the projection, updated by each write that changed it (read-models.ts). */
  readonly readModels: ReadModels;

  constructor(
    db: Db,
    /** What the server does with filters: the guarded write needs compound filters served by the index. */
    private readonly server: WireServer = mongoServer,
  ) {
    this.conversations = db.collection<ConversationDoc>(collections.conversations);
    this.readModels = new ReadModels(db, server);
  }

  async ensureIndexes(): Promise<void> {
    await this.conversations.createIndex({ journeyId: 1, updatedAt: -1 }, { name: 'journeyId_updatedAt' });
    await this.conversations.createIndex({ status: 1, updatedAt: -1 }, { name: 'status_updatedAt' });
    // The inbox's stream and unfiltered lists: newest first.
    await this.conversations.createIndex({ updatedAt: -1, _id: 1 }, { name: 'updatedAt' });
    await this.readModels.ensure();
  }

  async saveConversation(view: ConversationSnapshot): Promise<SaveConversationResult> {
    const record = conversationRecordOf(view);
    const transcriptLength = record.transcript.length;
    const doc = { ...stored(record), _id: record.conversationId, transcriptLength } as ConversationDoc;
    if (!this.server.compoundFiltersUseIndexes) return this.saveConversationById(doc);
    const guard = projectionRule.filter(doc);
    const options = { projection: projectionFieldsProjection, returnDocument: 'before' } as const;
    const replaced = await this.conversations.findOneAndReplace(guard, doc, options);
    if (replaced) return this.written(replaced, doc);
    try {
      await this.conversations.insertOne(doc);
      return await this.written(null, doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // A first write raced ours: ours still wins when it is the newer one.
    const again = await this.conversations.findOneAndReplace(guard, doc, options);
    return again ? this.written(again, doc) : { written: false };
  }

  /**
   * The read models follow a write that happened, by the difference between the projection it
   * replaced and the one written: a retried write (the same projection again) changes nothing there.
   */
  private async written(before: Document | null, after: ConversationDoc): Promise<SaveConversationResult> {
    await this.readModels.apply(before as ProjectionFields | null, after as ProjectionFields);
    return { written: true };
  }

  /**
   * The same rule for a server that serves only a bare `_id` filter from an index (FerretDB 1.x on
   * SQLite decodes every stored conversation for the guarded filter above): read by `_id`, compare
   * here, replace by `_id`. Such a server applies any update as read-then-write without isolation, so
   * the guarded filter was no more atomic there; chaining the writes of one conversation in this
   * process keeps concurrent API writes in order, and the window left between processes (an API
   * write and the worker's final one) is a few milliseconds instead of a scan of the collection.
   */
  private saveConversationById(doc: ConversationDoc): Promise<SaveConversationResult> {
    const id = doc._id;
    const previous = this.projectionWrites.get(id) ?? Promise.resolve();
    const write = previous
      .catch(() => undefined)
      .then(async (): Promise<SaveConversationResult> => {
        for (let attempt = 0; attempt < 3; attempt += 1) {
          const current = await this.conversations.findOne({ _id: id }, { projection: projectionFieldsProjection });
          if (current) {
            if (!projectionRule.holds(doc, current)) return { written: false };
            await this.conversations.replaceOne({ _id: id }, doc);
            // Another process (the API after a survey, the worker's last write) may have read the same
            // projection and taken it to ended too: only the first to mark the move applies its figures.
            const ends = doc.status === 'ended' && current.status !== 'ended';
            if (ends && !(await this.readModels.claimEnded(id))) return { written: true };
            return await this.written(current, doc);
          }
          if (await insertOnce(this.conversations, doc)) return await this.written(null, doc);
        }
        return { written: false };
      });
    this.projectionWrites.set(id, write);
    void write
      .finally(() => {
        if (this.projectionWrites.get(id) === write) this.projectionWrites.delete(id);
      })
      .catch(() => undefined);
    return write;
  }

  async getConversation(conversationId: string): Promise<ConversationRecord | null> {
    const doc = await this.conversations.findOne({ _id: conversationId });
    return doc ? restored<ConversationRecord>(doc, ['transcriptLength']) : null;
  }

  async listConversations(query: ConversationQuery = {}): Promise<ConversationRecord[]> {
    const filter: Filter<ConversationDoc> = {};
    if (query.journeyId !== undefined) filter.journeyId = query.journeyId;
    if (query.version !== undefined) filter.version = query.version;
    if (query.status !== undefined) filter.status = query.status;
    const docs = await this.conversations
      .find(filter)
      .sort({ updatedAt: -1, _id: 1 })
      .limit(limitOf(query.limit))
      .toArray();
    return docs.map((doc) => restored<ConversationRecord>(doc, ['transcriptLength']));
  }
}
