/** The outbox (`outbox`): messages sent to customers, each recorded once per idempotency key. */
import type { Collection, Db, Document, Filter } from 'mongodb';
import { collections } from './collections';
import { insertOnce, limitOf, restored } from './documents';
import { StoreNotFoundError } from './errors';
import type { OutboundInput, OutboundMessage, OutboundQuery, RecordOutboundResult } from './types';

/** Outbound messages (emails, SMS …) as sent. */
export interface OutboxStore {
  /** Idempotent on idempotencyKey: a message is never recorded (sent) twice. */
  recordOutbound(message: OutboundInput): Promise<RecordOutboundResult>;
  /** Newest first. */
  listOutbound(query?: OutboundQuery): Promise<OutboundMessage[]>;
}

interface OutboxDoc extends Document {
  _id: string;
  idempotencyKey: string;
  createdAt: Date;
}

export class MongoOutboxStore implements OutboxStore {
  private readonly outbox: Collection<OutboxDoc>;

  constructor(db: Db) {
    this.outbox = db.collection<OutboxDoc>(collections.outbox);
  }

  async ensureIndexes(): Promise<void> {
    await this.outbox.createIndex({ idempotencyKey: 1 }, { name: 'idempotencyKey', unique: true });
  }

  async recordOutbound(message: OutboundInput): Promise<RecordOutboundResult> {
    const insert = {
      idempotencyKey: message.idempotencyKey,
      channel: message.channel,
      to: message.to,
      subject: message.subject,
      body: message.body,
      createdAt: new Date(),
    };
    const created = await insertOnce(this.outbox, { ...insert, _id: message.idempotencyKey });
    const doc = await this.outbox.findOne({ _id: message.idempotencyKey });
    if (!doc)
      throw new StoreNotFoundError(`outbound message "${message.idempotencyKey}" vanished while it was recorded`);
    return { message: restored<OutboundMessage>(doc), created };
  }

  async listOutbound(query: OutboundQuery = {}): Promise<OutboundMessage[]> {
    const filter: Filter<OutboxDoc> = {};
    if (query.to !== undefined) filter.to = query.to;
    if (query.channel !== undefined) filter.channel = query.channel;
    const docs = await this.outbox.find(filter).sort({ createdAt: -1, _id: 1 }).limit(limitOf(query.limit)).toArray();
    return docs.map((doc) => restored<OutboundMessage>(doc));
  }
}
