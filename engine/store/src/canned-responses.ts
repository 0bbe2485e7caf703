/**
 * Canned responses (`canned_responses`): texts an admin writes once and agents insert with `/` in the
 * reply box, `{{customer.name}}` and the like filled in by the inbox. Keyed by their id; a save
 * replaces the text and says who changed it last.
 */
import type { Collection, Db, Document } from 'mongodb';
import { restored, stored } from './documents';

export const cannedResponsesCollection = 'canned_responses';

export interface CannedResponse {
  id: string;
  title: string;
  text: string;
  updatedAt: number;
  /** The admin who saved it last (their user id). */
  updatedBy?: string;
}

interface CannedDoc extends Document {
  _id: string;
}

/** At most this many are listed: a menu, not an archive. */
export const maxCannedResponses = 500;

export class CannedResponseStore {
  private readonly responses: Collection<CannedDoc>;

  constructor(db: Db) {
    this.responses = db.collection<CannedDoc>(cannedResponsesCollection);
  }

  /** By title, so the menu reads the same for every agent. */
  async list(): Promise<CannedResponse[]> {
    const docs = await this.responses.find({}).limit(maxCannedResponses).toArray();
    return docs
      .map((doc) => restored<CannedResponse>(doc))
      .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<CannedResponse | null> {
    const doc = await this.responses.findOne({ _id: id });
    return doc ? restored<CannedResponse>(doc) : null;
  }

  /** Creates or replaces; `created` says which. */
  async put(response: CannedResponse): Promise<{ response: CannedResponse; created: boolean }> {
    const result = await this.responses.replaceOne(
      { _id: response.id },
      { ...stored(response), _id: response.id } as CannedDoc,
      { upsert: true },
    );
    return { response, created: result.upsertedCount > 0 };
  }

  /** True when there was one to delete. */
  async remove(id: string): Promise<boolean> {
    const result = await this.responses.deleteOne({ _id: id });
    return result.deletedCount > 0;
  }
}
