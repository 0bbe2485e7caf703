/**
 * Who is typing to a customer (`typing`): one short-lived record per conversation, written by the API
 * when an agent types in the inbox and read by every API process that streams the conversation to its
 * customer. Not history: nothing of it reaches Temporal; a record past its `until` means nobody types.
 */
import type { Collection, Db } from 'mongodb';

export const typingCollection = 'typing';

interface TypingDoc {
  _id: string;
  /** The agent's name, as the widget shows it. */
  name: string;
  until: Date;
}

export class TypingStore {
  private readonly typing: Collection<TypingDoc>;

  constructor(db: Db) {
    this.typing = db.collection<TypingDoc>(typingCollection);
  }

  /** `name` is typing in the conversation for the next `ttlMs` (renewed while they type). */
  async start(conversationId: string, name: string, ttlMs: number): Promise<void> {
    await this.typing.replaceOne(
      { _id: conversationId },
      { name, until: new Date(Date.now() + ttlMs) },
      { upsert: true },
    );
  }

  /** They stopped (sent, cleared the box or left). */
  async stop(conversationId: string): Promise<void> {
    await this.typing.deleteOne({ _id: conversationId });
  }

  /** Who types now; null when nobody does (or their record ran out). */
  async current(conversationId: string): Promise<{ name: string } | null> {
    const doc = await this.typing.findOne({ _id: conversationId });
    return doc && doc.until.getTime() > Date.now() ? { name: doc.name } : null;
  }
}
