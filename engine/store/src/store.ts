import { createHash } from 'node:crypto';
import { MongoClient, type Collection, type Db, type Document, type Filter, type MongoClientOptions } from 'mongodb';
import type { CompiledJourney, Journey } from '@baton/schemas';
import { decodeValue, encodeValue } from './codec';
import { conversationRecordOf } from './view';
import { StoreConflictError, StoreError, StoreNotFoundError, isDuplicateKeyError } from './errors';
import type {
  AliasHistoryEntry,
  AliasRecord,
  AliasRoute,
  ConversationQuery,
  ConversationRecord,
  ConversationSnapshot,
  JourneyDraft,
  JourneySummary,
  JourneyVersion,
  OpenTicketResult,
  OutboundInput,
  OutboundMessage,
  OutboundQuery,
  PublishInput,
  PublishResult,
  RecordOutboundResult,
  RecordSurveyResult,
  SaveConversationResult,
  SetAliasResult,
  SurveyQuery,
  SurveyRecord,
  Ticket,
  TicketFeedback,
  TicketPacket,
  TicketPriority,
  TicketQuery,
  VersionSummary,
} from './types';
import type { ActivityManifest, Agent } from '@baton/schemas';

/** Collection names, fixed: other tools (exports, metrics) read them too. */
export const collections = {
  journeys: 'journeys',
  versions: 'journey_versions',
  conversations: 'conversations',
  tickets: 'tickets',
  surveys: 'surveys',
  outbox: 'outbox',
  activities: 'activities',
  aliases: 'aliases',
  aliasHistory: 'alias_history',
  ticketClaims: 'ticket_claims',
} as const;

/** The alias that new conversations start on when they name neither a version nor an alias. */
export const liveAlias = 'live';

/** A route names a version that was never published. HTTP 404; `version` says which. */
export class AliasVersionNotFoundError extends StoreNotFoundError {
  constructor(
    readonly journeyId: string,
    readonly version: number,
  ) {
    super(`version ${version} of journey "${journeyId}" does not exist`);
  }
}

/** Routes that are not one route at 100 % or two distinct versions whose percents sum to 100. HTTP 400. */
export class AliasRoutesError extends StoreError {
  override readonly status = 400;
}

/** The alias has no earlier routes to go back to. HTTP 409. */
export class AliasRollbackError extends StoreConflictError {}

/** What is wrong with a list of routes, or undefined when it is a valid alias target. */
export function aliasRoutesProblem(routes: readonly AliasRoute[]): string | undefined {
  if (routes.length < 1 || routes.length > 2) return 'an alias has one route, or two (a canary)';
  for (const route of routes) {
    if (!Number.isInteger(route.version) || route.version < 1)
      return `version ${route.version} is not a version number`;
    if (!Number.isInteger(route.percent) || route.percent < 1 || route.percent > 100)
      return `percent ${route.percent} is not a whole number from 1 to 100`;
  }
  if (routes.length === 2 && routes[0]?.version === routes[1]?.version) return 'the two routes name the same version';
  const sum = routes.reduce((total, route) => total + route.percent, 0);
  if (sum !== 100) return `the percents sum to ${sum}, not 100`;
  return undefined;
}

/** The bucket (0–99) of a conversation: the first 4 bytes of the SHA-256 of its id, modulo 100. Stable across processes and releases. */
export function aliasBucket(conversationId: string): number {
  return createHash('sha256').update(conversationId, 'utf8').digest().readUInt32BE(0) % 100;
}

/**
 * The route a conversation takes: the routes cover the buckets in their order (with 90 % on
 * version 2 then 10 % on version 3, buckets 0–89 start on 2 and 90–99 on 3).
 */
export function routeForConversation(routes: readonly AliasRoute[], conversationId: string): AliasRoute {
  const bucket = aliasBucket(conversationId);
  let upTo = 0;
  for (const route of routes) {
    upTo += route.percent;
    if (bucket < upTo) return route;
  }
  const last = routes[routes.length - 1];
  if (!last) throw new AliasRoutesError('an alias without routes');
  return last;
}

/** The persistence Baton needs; MongoStore is the implementation on the official driver. */
export interface Store {
  readonly dbName: string;
  /** The database, for custom activities that keep their own collections (e.g. `orders`). */
  collection<T extends Document = Document>(name: string): Collection<T>;
  ensureIndexes(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;

  /** Most recently updated first. */
  listJourneys(): Promise<JourneySummary[]>;
  /** The draft's source, as saved; null when there is no journey with this id. */
  getDraft(id: string): Promise<Journey | null>;
  /** The draft with its metadata (dates, latest version). */
  getDraftRecord(id: string): Promise<JourneyDraft | null>;
  /** @throws StoreConflictError when a journey with this id exists. */
  createDraft(journey: Journey, author?: string): Promise<JourneyDraft>;
  /** Creates or replaces the draft (createdAt is kept). @throws StoreConflictError when `journey.id` is not `id`. */
  saveDraft(id: string, journey: Journey): Promise<JourneyDraft>;

  publishVersion(input: PublishInput): Promise<PublishResult>;
  /** A published version; the latest when `version` is undefined; null when there is none. */
  getVersion(journeyId: string, version?: number): Promise<JourneyVersion | null>;
  /** Newest first, without the source and compiled bodies. */
  listVersions(journeyId: string): Promise<VersionSummary[]>;

  /**
   * Upserts the projection of a conversation (a view, or a whole state) unless the stored one is
   * newer: later updatedAt, longer transcript, or ended while this one is not.
   */
  saveConversation(view: ConversationSnapshot): Promise<SaveConversationResult>;
  /** The server behind the wire protocol, and how the store adapts its writes to it. */
  readonly server: WireServer;
  getConversation(conversationId: string): Promise<ConversationRecord | null>;
  /** Newest (updatedAt) first. */
  listConversations(query?: ConversationQuery): Promise<ConversationRecord[]>;

  /** Idempotent on ticketId: a second call returns the stored ticket and changes nothing. */
  openTicket(packet: TicketPacket): Promise<OpenTicketResult>;
  getTicket(ticketId: string): Promise<Ticket | null>;
  /** pending → open. Claiming again by the same agent returns the ticket. @throws StoreNotFoundError, StoreConflictError */
  claimTicket(ticketId: string, agent: Agent): Promise<Ticket>;
  /** pending/open → resolved. Resolving a resolved ticket again returns it unchanged. @throws StoreNotFoundError, StoreConflictError */
  resolveTicket(ticketId: string, agent: Agent, resolution?: string): Promise<Ticket>;
  /** The agent's verdict on the handoff (summary helpful, triage correction). @throws StoreNotFoundError */
  setTicketFeedback(ticketId: string, feedback: TicketFeedback): Promise<Ticket>;
  /** By priority (urgent, high, normal, low), then oldest first. */
  listTickets(query?: TicketQuery): Promise<Ticket[]>;

  /** Idempotent per conversation: the first answer stays. */
  recordSurvey(answer: SurveyRecord): Promise<RecordSurveyResult>;
  getSurvey(conversationId: string): Promise<SurveyRecord | null>;
  listSurveys(query?: SurveyQuery): Promise<SurveyRecord[]>;

  /** Idempotent on idempotencyKey: a message is never recorded (sent) twice. */
  recordOutbound(message: OutboundInput): Promise<RecordOutboundResult>;
  /** Newest first. */
  listOutbound(query?: OutboundQuery): Promise<OutboundMessage[]>;

  /**
   * What a worker registers, so that the API (another process) can show the palette: upserts each
   * manifest by name with the time it was last announced.
   */
  registerActivities(manifests: readonly ActivityManifest[]): Promise<void>;
  /** The registered activities, by name. */
  listActivities(): Promise<RegisteredActivity[]>;

  /**
   * Points an alias at one version (`[{ version, percent: 100 }]`) or splits it between two
   * (percents summing to 100), creating it when needed, and records the change in `alias_history`.
   * The same routes again change nothing. Publishing version 1 of a journey creates `live` → 1.
   * @throws AliasVersionNotFoundError (a StoreNotFoundError) naming the version, AliasRoutesError
   */
  setAlias(journeyId: string, alias: string, routes: readonly AliasRoute[], by?: string): Promise<SetAliasResult>;
  /**
   * Moves the alias back to the routes it had before its latest change that is not itself undone
   * (rolling back twice goes back two changes).
   * @throws StoreNotFoundError when there is no such alias, AliasRollbackError when there is nothing to go back to
   */
  rollbackAlias(journeyId: string, alias: string, by?: string): Promise<SetAliasResult>;
  getAlias(journeyId: string, alias: string): Promise<AliasRecord | null>;
  /** By name. */
  listAliases(journeyId: string): Promise<AliasRecord[]>;
  /** Newest first. */
  aliasHistory(journeyId: string, alias: string): Promise<AliasHistoryEntry[]>;
}

export type RegisteredActivity = ActivityManifest & { registeredAt: Date };

// ---------------------------------------------------------------- stored document shapes

interface JourneyDoc {
  _id: string;
  name: string;
  description: string;
  source: Document;
  createdAt: Date;
  updatedAt: Date;
  createdBy?: string;
  /** Absent until the first publish (so that `$max` can raise it). */
  latestVersion?: number;
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

interface ConversationDoc extends Document {
  _id: string;
  conversationId: string;
  journeyId: string;
  status: string;
  updatedAt: number;
  transcriptLength: number;
}

interface TicketDoc extends Document {
  _id: string;
  ticketId: string;
  status: string;
  queue: string;
  priorityRank: number;
  openedAt: number;
}

interface SurveyDoc extends Document {
  _id: string;
  conversationId: string;
}

interface ActivityDoc extends Document {
  _id: string;
  manifest: Document;
  registeredAt: Date;
}

interface AliasDoc extends Document {
  _id: string;
  journeyId: string;
  alias: string;
  routes: AliasRoute[];
  revision: number;
  updatedAt: Date;
  updatedBy?: string;
}

interface AliasHistoryDoc extends Document {
  _id: string;
  journeyId: string;
  alias: string;
  revision: number;
  action: 'set' | 'rollback';
  before: AliasRoute[] | null;
  after: AliasRoute[];
  at: Date;
  by?: string;
  undoes?: number;
}

const aliasKey = (journeyId: string, alias: string) => `${journeyId}/${alias}`;
const aliasHistoryKey = (journeyId: string, alias: string, revision: number) => `${journeyId}/${alias}#${revision}`;
const plainRoutes = (routes: readonly AliasRoute[]): AliasRoute[] =>
  routes.map((route) => ({ version: route.version, percent: route.percent }));
const sameRoutes = (a: readonly AliasRoute[], b: readonly AliasRoute[]) =>
  a.length === b.length &&
  a.every((route, index) => route.version === b[index]?.version && route.percent === b[index]?.percent);
const maxAliasAttempts = 20;

interface OutboxDoc extends Document {
  _id: string;
  idempotencyKey: string;
  createdAt: Date;
}

const priorityRank: Record<TicketPriority, number> = { urgent: 3, high: 2, normal: 1, low: 0 };
const maxPublishAttempts = 20;

function limitOf(limit: number | undefined, fallback = 50, max = 500): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** The _id of a published version: unique per journey and number. */
function versionKey(journeyId: string, version: number): string {
  return `${journeyId}@${version}`;
}

/** Encodes a JSON body into its stored form (see codec.ts). */
function stored(value: unknown): Document {
  return encodeValue(value) as Document;
}

/** Decodes a stored document and drops the store's own fields. Stored data was written by this store, so it has the type. */
function restored<T>(doc: Document, internal: readonly string[] = []): T {
  const decoded = decodeValue(doc) as Record<string, unknown>;
  delete decoded._id;
  for (const key of internal) delete decoded[key];
  return decoded as T;
}

/**
 * Inserts unless a document with this _id exists: true when inserted, false when one was there
 * (a retry, or a concurrent twin). Equivalent to an upsert with $setOnInsert, which FerretDB v1
 * gets wrong (it drops top-level null fields of $setOnInsert).
 */
async function insertOnce<T extends Document & { _id: string }>(collection: Collection<T>, doc: T): Promise<boolean> {
  try {
    await collection.insertOne(doc as Parameters<Collection<T>['insertOne']>[0]);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = item;
  return out as T;
}

export class MongoStore implements Store {
  private readonly journeys: Collection<JourneyDoc>;
  private readonly versions: Collection<VersionDoc>;
  private readonly conversations: Collection<ConversationDoc>;
  private readonly tickets: Collection<TicketDoc>;
  private readonly surveys: Collection<SurveyDoc>;
  private readonly outbox: Collection<OutboxDoc>;
  private readonly activities: Collection<ActivityDoc>;
  private readonly aliases: Collection<AliasDoc>;
  private readonly aliasLog: Collection<AliasHistoryDoc>;
  /** One document per ticket and round of claiming: the unique _id decides a race between agents. */
  private readonly ticketClaims: Collection<{ _id: string; agentId: string; at: number }>;

  /** Projection writes of one conversation in flight in this process, chained (see saveConversationById). */
  private readonly projectionWrites = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    /** What the server does with filters; MongoDB's behaviour unless connectStore found otherwise. */
    readonly server: WireServer = mongoServer,
  ) {
    this.journeys = db.collection<JourneyDoc>(collections.journeys);
    this.versions = db.collection<VersionDoc>(collections.versions);
    this.conversations = db.collection<ConversationDoc>(collections.conversations);
    this.tickets = db.collection<TicketDoc>(collections.tickets);
    this.surveys = db.collection<SurveyDoc>(collections.surveys);
    this.outbox = db.collection<OutboxDoc>(collections.outbox);
    this.activities = db.collection<ActivityDoc>(collections.activities);
    this.aliases = db.collection<AliasDoc>(collections.aliases);
    this.aliasLog = db.collection<AliasHistoryDoc>(collections.aliasHistory);
    this.ticketClaims = db.collection(collections.ticketClaims);
  }

  get dbName(): string {
    return this.db.databaseName;
  }

  collection<T extends Document = Document>(name: string): Collection<T> {
    return this.db.collection<T>(name);
  }

  async ensureIndexes(): Promise<void> {
    await this.journeys.createIndex({ updatedAt: -1 }, { name: 'updatedAt' });
    await this.versions.createIndex({ journeyId: 1, version: 1 }, { name: 'journeyId_version', unique: true });
    await this.conversations.createIndex({ journeyId: 1, updatedAt: -1 }, { name: 'journeyId_updatedAt' });
    await this.conversations.createIndex({ status: 1, updatedAt: -1 }, { name: 'status_updatedAt' });
    // The inbox's stream and unfiltered lists: newest first.
    await this.conversations.createIndex({ updatedAt: -1, _id: 1 }, { name: 'updatedAt' });
    await this.tickets.createIndex({ ticketId: 1 }, { name: 'ticketId', unique: true });
    await this.tickets.createIndex({ status: 1, priorityRank: -1, openedAt: 1 }, { name: 'status_priority_openedAt' });
    await this.surveys.createIndex({ conversationId: 1 }, { name: 'conversationId', unique: true });
    await this.surveys.createIndex({ 'journey.id': 1, 'journey.version': 1 }, { name: 'journey' });
    // The per-customer survey limit (RoutingStore.surveysSince).
    await this.surveys.createIndex({ customerId: 1, at: -1 }, { name: 'customerId_at' });
    await this.outbox.createIndex({ idempotencyKey: 1 }, { name: 'idempotencyKey', unique: true });
    await this.aliases.createIndex({ journeyId: 1, alias: 1 }, { name: 'journeyId_alias', unique: true });
    await this.aliasLog.createIndex(
      { journeyId: 1, alias: 1, revision: 1 },
      { name: 'journeyId_alias_revision', unique: true },
    );
  }

  async ping(): Promise<boolean> {
    try {
      const answer = await this.db.command({ ping: 1 });
      return answer.ok === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  // ------------------------------------------------------------ journeys

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
    return docs.map((doc) => ({
      id: doc._id,
      name: doc.name,
      description: doc.description,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
      latestVersion: doc.latestVersion ?? null,
    }));
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
    });
    try {
      await this.journeys.insertOne(doc);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new StoreConflictError(`journey "${journey.id}" exists`);
      throw error;
    }
    return this.draftOf(doc);
  }

  async saveDraft(id: string, journey: Journey): Promise<JourneyDraft> {
    if (journey.id !== id) throw new StoreConflictError(`the journey's id "${journey.id}" is not "${id}"`);
    const now = new Date();
    const update = {
      $set: { name: journey.name, description: journey.description ?? '', source: stored(journey), updatedAt: now },
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

  // ------------------------------------------------------------ versions

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
        if (latest.version === 1) await this.ensureLiveAlias(journeyId, input.author);
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
      if (version === 1) await this.ensureLiveAlias(journeyId, input.author);
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

  // ------------------------------------------------------------ conversations

  async saveConversation(view: ConversationSnapshot): Promise<SaveConversationResult> {
    const record = conversationRecordOf(view);
    const transcriptLength = record.transcript.length;
    const doc = { ...stored(record), _id: record.conversationId, transcriptLength } as ConversationDoc;
    if (!this.server.compoundFiltersUseIndexes) return this.saveConversationById(doc);
    // Only a projection at least as new (time and transcript) replaces the stored one; an ended conversation stays ended.
    const guard: Filter<ConversationDoc> = {
      _id: record.conversationId,
      updatedAt: { $lte: record.updatedAt },
      transcriptLength: { $lte: transcriptLength },
      ...(record.status !== 'ended' && { status: { $ne: 'ended' } }),
    };
    const replaced = await this.conversations.replaceOne(guard, doc);
    if (replaced.matchedCount > 0) return { written: true };
    try {
      await this.conversations.insertOne(doc);
      return { written: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // A first write raced ours: ours still wins when it is the newer one.
    const again = await this.conversations.replaceOne(guard, doc);
    return { written: again.matchedCount > 0 };
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
          const current = await this.conversations.findOne(
            { _id: id },
            { projection: { updatedAt: 1, transcriptLength: 1, status: 1 } },
          );
          if (current) {
            if (!projectionIsAtLeastAsNew(doc, current)) return { written: false };
            await this.conversations.replaceOne({ _id: id }, doc);
            return { written: true };
          }
          if (await insertOnce(this.conversations, doc)) return { written: true };
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

  // ------------------------------------------------------------ tickets

  private ticketOf(doc: TicketDoc): Ticket {
    const ticket = restored<Ticket>(doc, ['priorityRank']);
    // Fields written as null stay null (older or hand-made documents may lack them).
    ticket.assignee ??= null;
    ticket.claimedAt ??= null;
    ticket.resolvedAt ??= null;
    ticket.resolution ??= null;
    ticket.feedback ??= null;
    return ticket;
  }

  async openTicket(packet: TicketPacket): Promise<OpenTicketResult> {
    const ticket: Ticket = {
      ...packet,
      status: 'pending',
      assignee: null,
      claimedAt: null,
      resolvedAt: null,
      resolution: null,
      feedback: null,
    };
    const rank = priorityRank[packet.priority] ?? priorityRank.normal;
    const insert = { ...(stored(ticket) as Ticket), priorityRank: rank };
    const created = await insertOnce(this.tickets, { ...insert, _id: packet.ticketId } as TicketDoc);
    const doc = await this.tickets.findOne({ _id: packet.ticketId });
    if (!doc) throw new StoreNotFoundError(`ticket "${packet.ticketId}" vanished while it was opened`);
    return { ticket: this.ticketOf(doc), created };
  }

  async getTicket(ticketId: string): Promise<Ticket | null> {
    const doc = await this.tickets.findOne({ _id: ticketId });
    return doc ? this.ticketOf(doc) : null;
  }

  private async existingTicket(ticketId: string): Promise<Ticket> {
    const ticket = await this.getTicket(ticketId);
    if (!ticket) throw new StoreNotFoundError(`ticket "${ticketId}" does not exist`);
    return ticket;
  }

  async claimTicket(ticketId: string, agent: Agent): Promise<Ticket> {
    // FerretDB v1 does not make findOneAndUpdate atomic under concurrency, so two agents could both
    // move the same pending ticket to open. An insert with a unique _id is atomic: the first wins.
    const before = await this.existingTicket(ticketId);
    if (before.status === 'pending') {
      const claimId = `${ticketId}#${(before as Ticket & { reopened?: number }).reopened ?? 0}`;
      try {
        await this.ticketClaims.insertOne({ _id: claimId, agentId: agent.id, at: Date.now() });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const winner = await this.ticketClaims.findOne({ _id: claimId });
        if (winner && winner.agentId !== agent.id) {
          throw new StoreConflictError(
            `ticket "${ticketId}" is claimed by ${(await this.existingTicket(ticketId)).assignee?.name ?? 'another agent'}`,
          );
        }
      }
    }
    const doc = await this.tickets.findOneAndUpdate(
      { _id: ticketId, status: 'pending' },
      { $set: { status: 'open', assignee: stored(agent), claimedAt: Date.now() } },
      { returnDocument: 'after' },
    );
    if (doc) return this.ticketOf(doc);
    const ticket = await this.existingTicket(ticketId);
    if (ticket.status === 'open' && ticket.assignee?.id === agent.id) return ticket;
    if (ticket.status === 'resolved') throw new StoreConflictError(`ticket "${ticketId}" is resolved`);
    throw new StoreConflictError(`ticket "${ticketId}" is claimed by ${ticket.assignee?.name ?? 'another agent'}`);
  }

  async resolveTicket(ticketId: string, agent: Agent, resolution?: string): Promise<Ticket> {
    const now = Date.now();
    const set = { status: 'resolved', resolvedAt: now, resolution: resolution ?? null };
    // An open ticket is resolved by its assignee; a pending one by whoever takes it (and becomes its assignee).
    const doc =
      (await this.tickets.findOneAndUpdate(
        { _id: ticketId, status: 'open', 'assignee.id': agent.id },
        { $set: set },
        { returnDocument: 'after' },
      )) ??
      (await this.tickets.findOneAndUpdate(
        { _id: ticketId, status: 'pending' },
        { $set: { ...set, assignee: stored(agent), claimedAt: now } },
        { returnDocument: 'after' },
      ));
    if (doc) return this.ticketOf(doc);
    const ticket = await this.existingTicket(ticketId);
    if (ticket.status === 'resolved') return ticket;
    throw new StoreConflictError(`ticket "${ticketId}" is claimed by ${ticket.assignee?.name ?? 'another agent'}`);
  }

  async setTicketFeedback(ticketId: string, feedback: TicketFeedback): Promise<Ticket> {
    const doc = await this.tickets.findOneAndUpdate(
      { _id: ticketId },
      { $set: { feedback: stored(feedback) } },
      { returnDocument: 'after' },
    );
    if (!doc) throw new StoreNotFoundError(`ticket "${ticketId}" does not exist`);
    return this.ticketOf(doc);
  }

  async listTickets(query: TicketQuery = {}): Promise<Ticket[]> {
    const filter: Filter<TicketDoc> = {};
    if (query.status !== undefined) filter.status = query.status;
    if (query.queue !== undefined) filter.queue = query.queue;
    if (query.assignee !== undefined) filter['assignee.id'] = query.assignee;
    const docs = await this.tickets
      .find(filter)
      .sort({ priorityRank: -1, openedAt: 1, _id: 1 })
      .limit(limitOf(query.limit))
      .toArray();
    return docs.map((doc) => this.ticketOf(doc));
  }

  // ------------------------------------------------------------ surveys

  async recordSurvey(answer: SurveyRecord): Promise<RecordSurveyResult> {
    const insert = stored(withoutUndefined({ ...answer }));
    const created = await insertOnce(this.surveys, { ...insert, _id: answer.conversationId } as SurveyDoc);
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

  // ------------------------------------------------------------ outbox

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

  // ------------------------------------------------------------ activity catalog

  async registerActivities(manifests: readonly ActivityManifest[]): Promise<void> {
    const now = new Date();
    for (const manifest of manifests) {
      await this.activities.replaceOne(
        { _id: manifest.name },
        { manifest: stored(manifest), registeredAt: now },
        { upsert: true },
      );
    }
  }

  async listActivities(): Promise<RegisteredActivity[]> {
    const docs = await this.activities.find({}).sort({ _id: 1 }).toArray();
    return docs.map((doc) => ({ ...(decodeValue(doc.manifest) as ActivityManifest), registeredAt: doc.registeredAt }));
  }

  // ------------------------------------------------------------ aliases
  //
  // Without transactions, `alias_history` is the log and `aliases` its materialised head. A change
  // claims the next revision by inserting its history entry (the unique _id decides between two
  // writers), then moves the alias document from the previous revision to it (compare-and-set on
  // `revision`). A writer that stopped in between leaves an entry ahead of the document; whoever
  // reads the alias next applies it, so the two never disagree for long and nothing is lost.

  private aliasOf(doc: AliasDoc): AliasRecord {
    return {
      journeyId: doc.journeyId,
      alias: doc.alias,
      routes: plainRoutes(doc.routes),
      revision: doc.revision,
      updatedAt: doc.updatedAt,
      ...(doc.updatedBy !== undefined && doc.updatedBy !== null && { updatedBy: doc.updatedBy }),
    };
  }

  private historyOf(doc: AliasHistoryDoc): AliasHistoryEntry {
    return {
      journeyId: doc.journeyId,
      alias: doc.alias,
      revision: doc.revision,
      action: doc.action,
      before: doc.before ? plainRoutes(doc.before) : null,
      after: plainRoutes(doc.after),
      at: doc.at,
      ...(doc.by !== undefined && doc.by !== null && { by: doc.by }),
      ...(doc.undoes !== undefined && doc.undoes !== null && { undoes: doc.undoes }),
    };
  }

  /** Moves the alias document to a history entry, if it is still at the entry's previous revision. */
  private async applyAliasEntry(entry: AliasHistoryDoc): Promise<void> {
    const set = withoutUndefined({
      routes: entry.after,
      revision: entry.revision,
      updatedAt: entry.at,
      updatedBy: entry.by,
    });
    const moved = await this.aliases.updateOne(
      { _id: aliasKey(entry.journeyId, entry.alias), revision: entry.revision - 1 },
      { $set: set },
    );
    if (moved.matchedCount > 0) return;
    // No document yet (its creation was interrupted, or this is the creation): insert it; a twin's insert is as good.
    await insertOnce(this.aliases, {
      _id: aliasKey(entry.journeyId, entry.alias),
      journeyId: entry.journeyId,
      alias: entry.alias,
      ...set,
    });
  }

  /** The alias document, with any history entries it lags behind applied first. */
  private async aliasHead(journeyId: string, alias: string): Promise<AliasDoc | null> {
    for (let hops = 0; hops < maxAliasAttempts; hops += 1) {
      const doc = await this.aliases.findOne({ _id: aliasKey(journeyId, alias) });
      const next = await this.aliasLog.findOne({ _id: aliasHistoryKey(journeyId, alias, (doc?.revision ?? 0) + 1) });
      if (!next) return doc;
      await this.applyAliasEntry(next);
    }
    throw new StoreConflictError(`alias "${alias}" of journey "${journeyId}" is changing too fast to be read`);
  }

  private async assertVersionsExist(journeyId: string, routes: readonly AliasRoute[]): Promise<void> {
    for (const route of routes) {
      const found = await this.versions.findOne(
        { _id: versionKey(journeyId, route.version) },
        { projection: { _id: 1 } },
      );
      if (!found) throw new AliasVersionNotFoundError(journeyId, route.version);
    }
  }

  /**
   * One change of an alias: `decide` sees the current head (null when the alias does not exist)
   * and answers the change, or null for none. Retried when another writer takes the revision.
   */
  private async changeAlias(
    journeyId: string,
    alias: string,
    by: string | undefined,
    decide: (head: AliasDoc | null) => Promise<Pick<AliasHistoryDoc, 'action' | 'after' | 'undoes'> | null>,
  ): Promise<SetAliasResult> {
    for (let attempt = 0; attempt < maxAliasAttempts; attempt += 1) {
      const head = await this.aliasHead(journeyId, alias);
      const change = await decide(head);
      if (!change) {
        if (!head) throw new StoreNotFoundError(`journey "${journeyId}" has no alias "${alias}"`);
        return { alias: this.aliasOf(head), changed: false };
      }
      const revision = (head?.revision ?? 0) + 1;
      const entry: AliasHistoryDoc = withoutUndefined({
        _id: aliasHistoryKey(journeyId, alias, revision),
        journeyId,
        alias,
        revision,
        action: change.action,
        before: head ? plainRoutes(head.routes) : null,
        after: plainRoutes(change.after),
        at: new Date(),
        by,
        undoes: change.undoes,
      });
      if (!(await insertOnce(this.aliasLog, entry))) continue; // another writer took this revision: look again
      await this.applyAliasEntry(entry);
      return {
        alias: this.aliasOf({
          ...entry,
          _id: aliasKey(journeyId, alias),
          routes: entry.after,
          updatedAt: entry.at,
          ...(by !== undefined && { updatedBy: by }),
        }),
        changed: true,
      };
    }
    throw new StoreConflictError(
      `could not change alias "${alias}" of journey "${journeyId}": ${maxAliasAttempts} concurrent changes won the race`,
    );
  }

  async setAlias(
    journeyId: string,
    alias: string,
    routes: readonly AliasRoute[],
    by?: string,
  ): Promise<SetAliasResult> {
    const problem = aliasRoutesProblem(routes);
    if (problem) throw new AliasRoutesError(problem);
    await this.assertVersionsExist(journeyId, routes);
    return this.changeAlias(journeyId, alias, by, async (head) =>
      head && sameRoutes(head.routes, routes) ? null : { action: 'set', after: plainRoutes(routes) },
    );
  }

  /** `live` → 1 unless the journey has a `live` alias (publishing version 1 calls it; later publishes never move `live`). */
  private async ensureLiveAlias(journeyId: string, by?: string): Promise<void> {
    await this.changeAlias(journeyId, liveAlias, by, async (head) =>
      head ? null : { action: 'set', after: [{ version: 1, percent: 100 }] },
    );
  }

  async rollbackAlias(journeyId: string, alias: string, by?: string): Promise<SetAliasResult> {
    return this.changeAlias(journeyId, alias, by, async (head) => {
      if (!head) throw new StoreNotFoundError(`journey "${journeyId}" has no alias "${alias}"`);
      // Newest first: a rollback cancels the change it undid; the first change not cancelled is the one to undo.
      const undone = new Set<number>();
      for (const entry of await this.aliasHistory(journeyId, alias)) {
        if (entry.revision > head.revision || undone.has(entry.revision)) continue;
        if (entry.action === 'rollback') {
          if (entry.undoes !== undefined) undone.add(entry.undoes);
          continue;
        }
        if (!entry.before) break;
        return { action: 'rollback', after: entry.before, undoes: entry.revision };
      }
      throw new AliasRollbackError(`alias "${alias}" of journey "${journeyId}" has no earlier routes to roll back to`);
    });
  }

  async getAlias(journeyId: string, alias: string): Promise<AliasRecord | null> {
    const doc = await this.aliasHead(journeyId, alias);
    return doc ? this.aliasOf(doc) : null;
  }

  async listAliases(journeyId: string): Promise<AliasRecord[]> {
    const docs = await this.aliases.find({ journeyId }).sort({ alias: 1 }).toArray();
    // Each through its head, so that an interrupted change is applied before it is shown.
    const heads = await Promise.all(docs.map((doc) => this.aliasHead(journeyId, doc.alias)));
    return heads.filter((doc): doc is AliasDoc => doc !== null).map((doc) => this.aliasOf(doc));
  }

  async aliasHistory(journeyId: string, alias: string): Promise<AliasHistoryEntry[]> {
    const docs = await this.aliasLog.find({ journeyId, alias }).sort({ revision: -1 }).toArray();
    return docs.map((doc) => this.historyOf(doc));
  }
}

/** What Baton needs to know of the server behind the wire protocol. */
export interface WireServer {
  /** "MongoDB 7.0.12", "FerretDB v1.24.0 (MongoDB 7.0.42 wire)": said in the logs and /api/ready. */
  readonly description: string;
  /**
   * Whether a filter of `_id` plus other fields is served from the `_id` index. MongoDB: yes.
   * FerretDB 1.x on SQLite pushes down only a filter that is exactly `{ _id: <string or ObjectId> }`
   * and otherwise decodes the whole collection.
   */
  readonly compoundFiltersUseIndexes: boolean;
}

const mongoServer: WireServer = { description: 'MongoDB', compoundFiltersUseIndexes: true };

/** Asks the server who it is (buildInfo): FerretDB says so in `ferretdbVersion`. */
async function wireServerOf(client: MongoClient): Promise<WireServer> {
  let info: Document;
  try {
    info = await client.db('admin').command({ buildInfo: 1 });
  } catch {
    // A server that does not say (a restricted proxy): MongoDB's behaviour, the guarded writes.
    return { description: 'a MongoDB-wire server that did not answer buildInfo', compoundFiltersUseIndexes: true };
  }
  const version = typeof info.version === 'string' ? info.version : 'unknown';
  if (typeof info.ferretdbVersion === 'string') {
    // A FerretDB embedded in another program (scripts/bootstrap.sh builds one) reports "unknown".
    const ferret = info.ferretdbVersion === 'unknown' ? 'FerretDB' : `FerretDB ${info.ferretdbVersion}`;
    return { description: `${ferret} (MongoDB ${version} wire)`, compoundFiltersUseIndexes: false };
  }
  return { description: `MongoDB ${version}`, compoundFiltersUseIndexes: true };
}

/** The projection rule: never older in time or transcript, and an ended conversation stays ended. */
function projectionIsAtLeastAsNew(
  incoming: Pick<ConversationDoc, 'updatedAt' | 'transcriptLength' | 'status'>,
  current: Partial<Pick<ConversationDoc, 'updatedAt' | 'transcriptLength' | 'status'>>,
): boolean {
  if ((current.updatedAt ?? 0) > incoming.updatedAt) return false;
  if ((current.transcriptLength ?? 0) > incoming.transcriptLength) return false;
  return !(current.status === 'ended' && incoming.status !== 'ended');
}

/** A store command that took at least the threshold: its shape, never its values (they hold personal data). */
export interface SlowStoreCommand {
  command: string;
  collection?: string;
  /** The filter's field names and operators, e.g. `{ _id, status: { $ne } }`. */
  filter?: string;
  durationMs: number;
}

/** `{ _id: "a", at: { $gte: 3 } }` → `{ _id, at: { $gte } }`: what an index or a pushdown sees. */
export function filterShape(filter: unknown): string {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return '';
  const parts = Object.entries(filter as Record<string, unknown>).map(([key, value]) => {
    const isOperatorDoc =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.keys(value).some((k) => k.startsWith('$'));
    return isOperatorDoc ? `${key}: { ${Object.keys(value as object).join(', ')} }` : key;
  });
  return `{ ${parts.join(', ')} }`;
}

/** BATON_SLOW_STORE_MS: report store commands at least this slow (unset: none). */
export function slowStoreMsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env.BATON_SLOW_STORE_MS;
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`BATON_SLOW_STORE_MS must be a number of milliseconds, not "${text}"`);
  return value;
}

export interface ConnectOptions {
  /** Create the indexes on connect (idempotent); true by default. */
  ensureIndexes?: boolean;
  /** Reports every store command that took at least `thresholdMs` (BATON_SLOW_STORE_MS in the API and worker). */
  slowCommands?: { thresholdMs: number; report: (command: SlowStoreCommand) => void };
  /** Passed to the MongoClient. */
  client?: MongoClientOptions;
}

const filteredCommands: Record<string, string> = {
  find: 'filter',
  count: 'query',
  delete: 'deletes',
  update: 'updates',
  findAndModify: 'query',
  aggregate: 'pipeline',
};

function watchSlowCommands(
  client: MongoClient,
  thresholdMs: number,
  report: (command: SlowStoreCommand) => void,
): void {
  const started = new Map<number, Omit<SlowStoreCommand, 'durationMs'>>();
  client.on('commandStarted', (event) => {
    const collection = event.command[event.commandName];
    const field = filteredCommands[event.commandName];
    let filter: unknown = field === undefined ? undefined : event.command[field];
    // update and delete carry a list of statements, each with its filter in `q`.
    if (Array.isArray(filter))
      filter =
        (filter[0] as { q?: unknown; $match?: unknown } | undefined)?.q ??
        (filter[0] as { $match?: unknown } | undefined)?.$match;
    started.set(event.requestId, {
      command: event.commandName,
      ...(typeof collection === 'string' && { collection }),
      ...(filter !== undefined && { filter: filterShape(filter) }),
    });
  });
  const finished = (event: { requestId: number; duration: number }) => {
    const command = started.get(event.requestId);
    started.delete(event.requestId);
    if (command && event.duration >= thresholdMs) report({ ...command, durationMs: Math.round(event.duration) });
  };
  client.on('commandSucceeded', finished);
  client.on('commandFailed', finished);
}

/** Connects to a MongoDB-wire server (MongoDB, a replica set, Atlas, FerretDB) and returns the store. */
export async function connectStore(uri: string, dbName = 'baton', options: ConnectOptions = {}): Promise<Store> {
  const slow = options.slowCommands;
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 10_000,
    ignoreUndefined: true,
    ...(slow && { monitorCommands: true }),
    ...options.client,
  });
  if (slow) watchSlowCommands(client, slow.thresholdMs, slow.report);
  await client.connect();
  const store = new MongoStore(client, client.db(dbName), await wireServerOf(client));
  if (options.ensureIndexes ?? true) {
    try {
      await store.ensureIndexes();
    } catch (error) {
      await client.close();
      throw error;
    }
  }
  return store;
}
