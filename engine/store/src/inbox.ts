/**
 * What agents add to a ticket from the inbox: internal notes (kept on the ticket, never in the
 * conversation), their verdict on the handoff (`ticket_feedback`, read by the metrics) and intent
 * corrections (`intent_corrections`, labelled examples the embedded classifier learns from).
 * The collection names and fields are a contract with those readers.
 */
import type { Collection, Db, Document } from 'mongodb';
import { StoreNotFoundError } from './errors';
import { refreshTicket } from './read-model-measures-store';

export const inboxCollections = {
  tickets: 'tickets',
  feedback: 'ticket_feedback',
  intentCorrections: 'intent_corrections',
} as const;

export interface TicketNote {
  noteId: string;
  text: string;
  agentId: string;
  agentName: string;
  at: Date;
}

/** One agent's verdict on one ticket's handoff; a second verdict by the same agent replaces the first. */
export interface TicketFeedbackRecord {
  ticketId: string;
  conversationId: string;
  journeyId: string;
  version: number;
  agentId: string;
  summaryHelpful: boolean;
  /** The agent's pulse, 1 (drained) … 5 (great), when given. */
  pulse: number | null;
  comment: string | null;
  at: Date;
}

/** A labelled example: the customer's words that were classified, and the intent they should have had. */
export interface IntentCorrection {
  /** The ticket it came from (one correction per ticket: the latest wins). */
  ticketId: string;
  text: string;
  intent: string;
  previousIntent: string | null;
  journeyId: string;
  conversationId: string;
  agentId: string;
  at: Date;
}

interface NoteHolder {
  _id: string;
  notes?: TicketNote[];
}

function withoutId<T>(doc: Document): T {
  const { _id: _ignored, ...rest } = doc;
  return rest as T;
}

export class InboxStore {
  private readonly tickets: Collection<NoteHolder>;
  private readonly feedback: Collection<TicketFeedbackRecord & { _id: string }>;
  private readonly corrections: Collection<IntentCorrection & { _id: string }>;

  constructor(private readonly db: Db) {
    this.tickets = db.collection<NoteHolder>(inboxCollections.tickets);
    this.feedback = db.collection(inboxCollections.feedback);
    this.corrections = db.collection(inboxCollections.intentCorrections);
  }

  async ensureIndexes(): Promise<void> {
    await this.feedback.createIndex({ journeyId: 1, version: 1, at: -1 }, { name: 'journey_version_at' });
    // A ticket's verdicts, read when its measures are refreshed (read-model-measures-store.ts).
    await this.feedback.createIndex({ ticketId: 1 }, { name: 'ticketId' });
    await this.corrections.createIndex({ journeyId: 1, at: -1 }, { name: 'journey_at' });
  }

  /** Appends an internal note to the ticket. @throws StoreNotFoundError */
  async addNote(ticketId: string, note: TicketNote): Promise<TicketNote[]> {
    // No projection: FerretDB v1 does not implement one on findAndModify.
    const doc = await this.tickets.findOneAndUpdate(
      { _id: ticketId },
      { $push: { notes: note } },
      { returnDocument: 'after' },
    );
    if (!doc) throw new StoreNotFoundError(`ticket "${ticketId}" does not exist`);
    return doc.notes ?? [];
  }

  async notes(ticketId: string): Promise<TicketNote[]> {
    const doc = await this.tickets.findOne({ _id: ticketId }, { projection: { notes: 1 } });
    return doc?.notes ?? [];
  }

  /** Records (or replaces) the agent's verdict; answers the stored record. */
  async recordFeedback(record: TicketFeedbackRecord): Promise<TicketFeedbackRecord> {
    const _id = `${record.ticketId}:${record.agentId}`;
    // A replace, not an upsert with $setOnInsert (FerretDB v1 drops null fields of those).
    await this.feedback.replaceOne({ _id }, record, { upsert: true });
    await refreshTicket(this.db, record.ticketId);
    return record;
  }

  async feedbackFor(ticketId: string): Promise<TicketFeedbackRecord[]> {
    const docs = await this.feedback.find({ ticketId }).sort({ at: -1 }).toArray();
    return docs.map((doc) => withoutId<TicketFeedbackRecord>(doc));
  }

  async recordIntentCorrection(correction: IntentCorrection): Promise<IntentCorrection> {
    await this.corrections.replaceOne({ _id: correction.ticketId }, correction, { upsert: true });
    await refreshTicket(this.db, correction.ticketId);
    return correction;
  }

  async correctionFor(ticketId: string): Promise<IntentCorrection | null> {
    const doc = await this.corrections.findOne({ _id: ticketId });
    return doc ? withoutId<IntentCorrection>(doc) : null;
  }
}
