/**
 * Journeys: their drafts (`journeys`, one document per journey, with the latest version number)
 * and their published versions (`journey_versions`, immutable, numbered without gaps). Publishing
 * version 1 also creates the `live` alias (aliases.ts).
 */
import type { Collection, Db, Document } from 'mongodb';
import type { CompiledJourney, Journey } from '@baton/schemas';
import { decodeValue } from './codec';
import { collections } from './collections';
import { stored, withoutUndefined } from './documents';
import { StoreConflictError, StoreNotFoundError, isDuplicateKeyError } from './errors';
import { versionKey, type MongoAliasStore } from './aliases';
import type {
  JourneyDraft,
  JourneySummary,
  JourneyVersion,
  PublishInput,
  PublishResult,
  VersionSummary,
} from './types';

/** Drafts and published versions of journeys. */
export interface JourneyStore {
  /** Most recently updated first. */
  listJourneys(): Promise<JourneySummary[]>;
  /** The draft's source, as saved; null when there is no journey with this id. */
  getDraft(id: string): Promise<Journey | null>;
  /** The draft with its metadata (dates, latest version). */
  getDraftRecord(id: string): Promise<JourneyDraft | null>;
  /** @throws StoreConflictError when a journey with this id exists. */
  createDraft(journey: Journey, author?: string): Promise<JourneyDraft>;
  /** Creates or replaces the draft (createdAt is kept). @throws StoreConflictError when `journey.id` is not `id`. */
  saveDraft(id: string, journey: Journey, by?: string): Promise<JourneyDraft>;
  /** Archives (hides from the list) or restores a journey; null when there is none. Saving the draft keeps the flag. */
  setArchived(id: string, archived: boolean, by?: string): Promise<JourneySummary | null>;

  publishVersion(input: PublishInput): Promise<PublishResult>;
  /** A published version; the latest when `version` is undefined; null when there is none. */
  getVersion(journeyId: string, version?: number): Promise<JourneyVersion | null>;
  /** Newest first, without the source and compiled bodies. */
  listVersions(journeyId: string): Promise<VersionSummary[]>;
}

interface JourneyDoc {
  _id: string;
  name: string;
  description: string;
  source: Document;
  createdAt: Date;
  updatedAt: Date;
  createdBy?: string;
  updatedBy?: string;
  /** Absent until the first publish (so that `$max` can raise it). */
  latestVersion?: number;
  archivedAt?: Date;
  archivedBy?: string;
}

interface VersionDoc {
  _id: string;
  journeyId: string;
  version: number;
  hash: string;
  name: string;
  source: Document;
  compiled: Document;
  publishedAt: Date;
  author?: string;
  message?: string;
}

const maxPublishAttempts = 20;

export class MongoJourneyStore implements JourneyStore {
  private readonly journeys: Collection<JourneyDoc>;
  private readonly versions: Collection<VersionDoc>;

  constructor(
    db: Db,
    /** Publishing version 1 points `live` at it. */
    private readonly aliases: Pick<MongoAliasStore, 'ensureLiveAlias'>,
  ) {
    this.journeys = db.collection<JourneyDoc>(collections.journeys);
    this.versions = db.collection<VersionDoc>(collections.versions);
  }

  async ensureIndexes(): Promise<void> {
    await this.journeys.createIndex({ updatedAt: -1 }, { name: 'updatedAt' });
    await this.versions.createIndex({ journeyId: 1, version: 1 }, { name: 'journeyId_version', unique: true });
  }

  private draftOf(doc: JourneyDoc): JourneyDraft {
    return {
      id: doc._id,
      name: doc.name,
      description: doc.description,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
      latestVersion: doc.latestVersion ?? null,
      journey: decodeValue(doc.source) as Journey,
      ...(doc.createdBy !== undefined && { createdBy: doc.createdBy }),
    };
  }

  async listJourneys(): Promise<JourneySummary[]> {
    const docs = await this.journeys
      .find({}, { projection: { source: 0 } })
      .sort({ updatedAt: -1, _id: 1 })
      .toArray();
    return docs.map((doc) => this.summaryOf(doc));
  }

  private summaryOf(doc: JourneyDoc): JourneySummary {
    return {
      id: doc._id,
      name: doc.name,
      description: doc.description,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
      ...(doc.updatedBy !== undefined && { updatedBy: doc.updatedBy }),
      latestVersion: doc.latestVersion ?? null,
      ...(doc.archivedAt && { archivedAt: doc.archivedAt }),
      ...(doc.archivedAt && doc.archivedBy !== undefined && { archivedBy: doc.archivedBy }),
    };
  }

  async setArchived(id: string, archived: boolean, by?: string): Promise<JourneySummary | null> {
    const update = archived
      ? { $set: withoutUndefined({ archivedAt: new Date(), archivedBy: by }) }
      : { $unset: { archivedAt: 1 as const, archivedBy: 1 as const } };
    const doc = await this.journeys.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' });
    return doc ? this.summaryOf(doc) : null;
  }

  async getDraft(id: string): Promise<Journey | null> {
    const doc = await this.journeys.findOne({ _id: id }, { projection: { source: 1 } });
    return doc ? (decodeValue(doc.source) as Journey) : null;
  }

  async getDraftRecord(id: string): Promise<JourneyDraft | null> {
    const doc = await this.journeys.findOne({ _id: id });
    return doc ? this.draftOf(doc) : null;
  }

  async createDraft(journey: Journey, author?: string): Promise<JourneyDraft> {
    const now = new Date();
    const doc: JourneyDoc = withoutUndefined({
      _id: journey.id,
      name: journey.name,
      description: journey.description ?? '',
      source: stored(journey),
      createdAt: now,
      updatedAt: now,
      createdBy: author,
      updatedBy: author,
    });
    try {
      await this.journeys.insertOne(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new StoreConflictError(`journey "${journey.id}" exists`);
      throw error;
    }
    return this.draftOf(doc);
  }

  async saveDraft(id: string, journey: Journey, by?: string): Promise<JourneyDraft> {
    if (journey.id !== id) throw new StoreConflictError(`the journey's id "${journey.id}" is not "${id}"`);
    const now = new Date();
    const fields = {
      name: journey.name,
      description: journey.description ?? '',
      source: stored(journey),
      updatedAt: now,
    };
    // Who saved it, or nobody known: never the previous saver's name on someone else's save.
    const update = {
      $set: by !== undefined ? { ...fields, updatedBy: by } : fields,
      ...(by === undefined && { $unset: { updatedBy: 1 as const } }),
      $setOnInsert: { createdAt: now },
    };
    for (let attempt = 0; ; attempt += 1) {
      try {
        const doc = await this.journeys.findOneAndUpdate({ _id: id }, update, {
          upsert: true,
          returnDocument: 'after',
        });
        if (doc) return this.draftOf(doc);
        const again = await this.journeys.findOne({ _id: id });
        if (again) return this.draftOf(again);
        throw new StoreNotFoundError(`journey "${id}" vanished while it was saved`);
      } catch (error) {
        // Two first saves racing: the loser's upsert hits the _id index; the next attempt updates.
        if (isDuplicateKeyError(error) && attempt < 3) continue;
        throw error;
      }
    }
  }

  async publishVersion(input: PublishInput): Promise<PublishResult> {
    const { journeyId, compiled } = input;
    if (compiled.id !== journeyId || input.source.id !== journeyId) {
      throw new StoreConflictError(
        `publishing "${journeyId}" with a journey whose id is "${compiled.id !== journeyId ? compiled.id : input.source.id}"`,
      );
    }
    for (let attempt = 0; attempt < maxPublishAttempts; attempt += 1) {
      const latest = await this.versions
        .find({ journeyId }, { projection: { version: 1, hash: 1 } })
        .sort({ version: -1 })
        .limit(1)
        .next();
      if (latest && latest.hash === compiled.hash) {
        await this.noteLatestVersion(input, latest.version);
        // Also heals a first publish that stopped before it created `live`.
        if (latest.version === 1) await this.aliases.ensureLiveAlias(journeyId, input.author);
        return { version: latest.version, hash: latest.hash, created: false };
      }
      const version = (latest?.version ?? 0) + 1;
      const doc: VersionDoc = withoutUndefined({
        _id: versionKey(journeyId, version),
        journeyId,
        version,
        hash: compiled.hash,
        name: compiled.name,
        source: stored({ ...input.source, version }),
        compiled: stored({ ...compiled, version }),
        publishedAt: new Date(),
        author: input.author,
        message: input.message,
      });
      try {
        await this.versions.insertOne(doc);
      } catch (error) {
        // Someone published this number first: look again (it may even be the same content).
        if (isDuplicateKeyError(error)) continue;
        throw error;
      }
      await this.noteLatestVersion(input, version);
      if (version === 1) await this.aliases.ensureLiveAlias(journeyId, input.author);
      return { version, hash: compiled.hash, created: true };
    }
    throw new StoreConflictError(
      `could not publish "${journeyId}": ${maxPublishAttempts} concurrent publishes won the race`,
    );
  }

  /** Raises the journey's latestVersion; creates the draft from the published source when there was none. */
  private async noteLatestVersion(input: PublishInput, version: number): Promise<void> {
    const now = new Date();
    const update = {
      $max: { latestVersion: version },
      $setOnInsert: withoutUndefined({
        name: input.source.name,
        description: input.source.description ?? '',
        source: stored({ ...input.source, version }),
        createdAt: now,
        updatedAt: now,
        createdBy: input.author,
      }),
    };
    try {
      await this.journeys.updateOne({ _id: input.journeyId }, update, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.journeys.updateOne({ _id: input.journeyId }, { $max: { latestVersion: version } });
    }
  }

  private versionOf(doc: VersionDoc): JourneyVersion {
    return {
      ...this.versionSummaryOf(doc),
      source: decodeValue(doc.source) as Journey,
      compiled: decodeValue(doc.compiled) as CompiledJourney,
    };
  }

  private versionSummaryOf(
    doc: Pick<VersionDoc, 'journeyId' | 'version' | 'hash' | 'name' | 'publishedAt' | 'author' | 'message'>,
  ): VersionSummary {
    return {
      journeyId: doc.journeyId,
      version: doc.version,
      hash: doc.hash,
      name: doc.name,
      publishedAt: doc.publishedAt,
      ...(doc.author !== undefined && doc.author !== null && { author: doc.author }),
      ...(doc.message !== undefined && doc.message !== null && { message: doc.message }),
    };
  }

  async getVersion(journeyId: string, version?: number): Promise<JourneyVersion | null> {
    // By _id: the one filter every MongoDB-wire server serves from an index (see WireServer).
    if (version !== undefined) {
      const doc = await this.versions.findOne({ _id: versionKey(journeyId, version) });
      return doc ? this.versionOf(doc) : null;
    }
    const journey = await this.journeys.findOne({ _id: journeyId }, { projection: { latestVersion: 1 } });
    let latest = journey?.latestVersion;
    if (typeof latest !== 'number') {
      // A journey document older than latestVersion: the versions say.
      const doc = await this.versions.find({ journeyId }).sort({ version: -1 }).limit(1).next();
      return doc ? this.versionOf(doc) : null;
    }
    // Versions are numbered without gaps, and latestVersion may lag behind a publish under way (or
    // behind concurrent ones on a server whose $max is not atomic): look past it.
    while (await this.versions.findOne({ _id: versionKey(journeyId, latest + 1) }, { projection: { _id: 1 } }))
      latest += 1;
    const doc = await this.versions.findOne({ _id: versionKey(journeyId, latest) });
    return doc ? this.versionOf(doc) : null;
  }

  async listVersions(journeyId: string): Promise<VersionSummary[]> {
    const docs = await this.versions
      .find({ journeyId }, { projection: { source: 0, compiled: 0 } })
      .sort({ version: -1 })
      .toArray();
    return docs.map((doc) => this.versionSummaryOf(doc));
  }
}
