import { MongoClient, type Collection, type Db, type Document, type Filter, type MongoClientOptions } from 'mongodb';
import type { CompiledJourney, Journey } from '@baton/schemas';
import { decodeValue, encodeValue } from './codec';
import { conversationRecordOf } from './view';
import { StoreConflictError, StoreNotFoundError, isDuplicateKeyError } from './errors';
import type {
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
} as const;

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

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {
    this.journeys = db.collection<JourneyDoc>(collections.journeys);
    this.versions = db.collection<VersionDoc>(collections.versions);
    this.conversations = db.collection<ConversationDoc>(collections.conversations);
    this.tickets = db.collection<TicketDoc>(collections.tickets);
    this.surveys = db.collection<SurveyDoc>(collections.surveys);
    this.outbox = db.collection<OutboxDoc>(collections.outbox);
    this.activities = db.collection<ActivityDoc>(collections.activities);
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
    await this.tickets.createIndex({ ticketId: 1 }, { name: 'ticketId', unique: true });
    await this.tickets.createIndex({ status: 1, priorityRank: -1, openedAt: 1 }, { name: 'status_priority_openedAt' });
    await this.surveys.createIndex({ conversationId: 1 }, { name: 'conversationId', unique: true });
    await this.surveys.createIndex({ 'journey.id': 1, 'journey.version': 1 }, { name: 'journey' });
    await this.outbox.createIndex({ idempotencyKey: 1 }, { name: 'idempotencyKey', unique: true });
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
    const docs = await this.journeys.find({}, { projection: { source: 0 } }).sort({ updatedAt: -1, _id: 1 }).toArray();
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
        const doc = await this.journeys.findOneAndUpdate({ _id: id }, update, { upsert: true, returnDocument: 'after' });
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
      throw new StoreConflictError(`publishing "${journeyId}" with a journey whose id is "${compiled.id !== journeyId ? compiled.id : input.source.id}"`);
    }
    for (let attempt = 0; attempt < maxPublishAttempts; attempt += 1) {
      const latest = await this.versions.find({ journeyId }, { projection: { version: 1, hash: 1 } }).sort({ version: -1 }).limit(1).next();
      if (latest && latest.hash === compiled.hash) {
        await this.noteLatestVersion(input, latest.version);
        return { version: latest.version, hash: latest.hash, created: false };
      }
      const version = (latest?.version ?? 0) + 1;
      const doc: VersionDoc = withoutUndefined({
        _id: `${journeyId}@${version}`,
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
      return { version, hash: compiled.hash, created: true };
    }
    throw new StoreConflictError(`could not publish "${journeyId}": ${maxPublishAttempts} concurrent publishes won the race`);
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

  private versionSummaryOf(doc: Pick<VersionDoc, 'journeyId' | 'version' | 'hash' | 'name' | 'publishedAt' | 'author' | 'message'>): VersionSummary {
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
    const doc =
      version === undefined
        ? await this.versions.find({ journeyId }).sort({ version: -1 }).limit(1).next()
        : await this.versions.findOne({ journeyId, version });
    return doc ? this.versionOf(doc) : null;
  }

  async listVersions(journeyId: string): Promise<VersionSummary[]> {
    const docs = await this.versions.find({ journeyId }, { projection: { source: 0, compiled: 0 } }).sort({ version: -1 }).toArray();
    return docs.map((doc) => this.versionSummaryOf(doc));
  }

  // ------------------------------------------------------------ conversations

  async saveConversation(view: ConversationSnapshot): Promise<SaveConversationResult> {
    const record = conversationRecordOf(view);
    const transcriptLength = record.transcript.length;
    const doc = { ...stored(record), _id: record.conversationId, transcriptLength } as ConversationDoc;
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

  async getConversation(conversationId: string): Promise<ConversationRecord | null> {
    const doc = await this.conversations.findOne({ _id: conversationId });
    return doc ? restored<ConversationRecord>(doc, ['transcriptLength']) : null;
  }

  async listConversations(query: ConversationQuery = {}): Promise<ConversationRecord[]> {
    const filter: Filter<ConversationDoc> = {};
    if (query.journeyId !== undefined) filter.journeyId = query.journeyId;
    if (query.status !== undefined) filter.status = query.status;
    const docs = await this.conversations.find(filter).sort({ updatedAt: -1, _id: 1 }).limit(limitOf(query.limit)).toArray();
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
      (await this.tickets.findOneAndUpdate({ _id: ticketId, status: 'open', 'assignee.id': agent.id }, { $set: set }, { returnDocument: 'after' })) ??
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
    const doc = await this.tickets.findOneAndUpdate({ _id: ticketId }, { $set: { feedback: stored(feedback) } }, { returnDocument: 'after' });
    if (!doc) throw new StoreNotFoundError(`ticket "${ticketId}" does not exist`);
    return this.ticketOf(doc);
  }

  async listTickets(query: TicketQuery = {}): Promise<Ticket[]> {
    const filter: Filter<TicketDoc> = {};
    if (query.status !== undefined) filter.status = query.status;
    if (query.queue !== undefined) filter.queue = query.queue;
    if (query.assignee !== undefined) filter['assignee.id'] = query.assignee;
    const docs = await this.tickets.find(filter).sort({ priorityRank: -1, openedAt: 1, _id: 1 }).limit(limitOf(query.limit)).toArray();
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
    const docs = await this.surveys.find(filter).sort({ at: -1, _id: 1 }).limit(limitOf(query.limit, 500, 10000)).toArray();
    return docs.map((doc) => restored<SurveyRecord>(doc));
  }

  // ------------------------------------------------------------ outbox

  async recordOutbound(message: OutboundInput): Promise<RecordOutboundResult> {
    const insert = { idempotencyKey: message.idempotencyKey, channel: message.channel, to: message.to, subject: message.subject, body: message.body, createdAt: new Date() };
    const created = await insertOnce(this.outbox, { ...insert, _id: message.idempotencyKey });
    const doc = await this.outbox.findOne({ _id: message.idempotencyKey });
    if (!doc) throw new StoreNotFoundError(`outbound message "${message.idempotencyKey}" vanished while it was recorded`);
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
      await this.activities.replaceOne({ _id: manifest.name }, { manifest: stored(manifest), registeredAt: now }, { upsert: true });
    }
  }

  async listActivities(): Promise<RegisteredActivity[]> {
    const docs = await this.activities.find({}).sort({ _id: 1 }).toArray();
    return docs.map((doc) => ({ ...(decodeValue(doc.manifest) as ActivityManifest), registeredAt: doc.registeredAt }));
  }
}

export interface ConnectOptions {
  /** Create the indexes on connect (idempotent); true by default. */
  ensureIndexes?: boolean;
  /** Passed to the MongoClient. */
  client?: MongoClientOptions;
}

/** Connects to a MongoDB-wire server (MongoDB, a replica set, Atlas, FerretDB) and returns the store. */
export async function connectStore(uri: string, dbName = 'baton', options: ConnectOptions = {}): Promise<Store> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, ignoreUndefined: true, ...options.client });
  await client.connect();
  const store = new MongoStore(client, client.db(dbName));
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
