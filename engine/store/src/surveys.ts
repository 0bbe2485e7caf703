/** Survey answers (`surveys`): one per conversation, the first answer stays. */
import type { Collection, Db, Document, Filter } from 'mongodb';
import { collections } from './collections';
import { insertOnce, limitOf, restored, stored, withoutUndefined } from './documents';
import { StoreNotFoundError } from './errors';
import { refreshSurvey } from './read-model-measures-store';
import type { RecordSurveyResult, SurveyQuery, SurveyRecord } from './types';

/** What customers answered at the end of a conversation. */
export interface SurveyStore {
  /** Idempotent per conversation: the first answer stays. */
  recordSurvey(answer: SurveyRecord): Promise<RecordSurveyResult>;
  getSurvey(conversationId: string): Promise<SurveyRecord | null>;
  listSurveys(query?: SurveyQuery): Promise<SurveyRecord[]>;
}

interface SurveyDoc extends Document {
  _id: string;
  conversationId: string;
}

export class MongoSurveyStore implements SurveyStore {
  private readonly surveys: Collection<SurveyDoc>;

  constructor(private readonly db: Db) {
    this.surveys = db.collection<SurveyDoc>(collections.surveys);
  }

  async ensureIndexes(): Promise<void> {
    await this.surveys.createIndex({ conversationId: 1 }, { name: 'conversationId', unique: true });
    await this.surveys.createIndex({ 'journey.id': 1, 'journey.version': 1 }, { name: 'journey' });
    // The per-customer survey limit (RoutingStore.surveysSince).
    await this.surveys.createIndex({ customerId: 1, at: -1 }, { name: 'customerId_at' });
  }

  async recordSurvey(answer: SurveyRecord): Promise<RecordSurveyResult> {
    const insert = stored(withoutUndefined({ ...answer }));
    const created = await insertOnce(this.surveys, { ...insert, _id: answer.conversationId } as SurveyDoc);
    await refreshSurvey(this.db, answer.conversationId);
    const survey = await this.getSurvey(answer.conversationId);
    if (!survey) throw new StoreNotFoundError(`survey of "${answer.conversationId}" vanished while it was recorded`);
    return { survey, created };
  }

  async getSurvey(conversationId: string): Promise<SurveyRecord | null> {
    const doc = await this.surveys.findOne({ _id: conversationId });
    return doc ? restored<SurveyRecord>(doc) : null;
  }

  async listSurveys(query: SurveyQuery = {}): Promise<SurveyRecord[]> {
    const filter: Filter<SurveyDoc> = {};
    if (query.journeyId !== undefined) filter['journey.id'] = query.journeyId;
    if (query.version !== undefined) filter['journey.version'] = query.version;
    const docs = await this.surveys
      .find(filter)
      .sort({ at: -1, _id: 1 })
      .limit(limitOf(query.limit, 500, 10000))
      .toArray();
    return docs.map((doc) => restored<SurveyRecord>(doc));
  }
}
