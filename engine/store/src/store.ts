/**
 * The facade over the per-record stores: `Store` keeps every method callers had (journeys,
 * versions, aliases, conversations, tickets, surveys, outbox, activity catalog) by delegating to
 * the narrow stores, which it also exposes (`store.journeys`, `store.tickets` …) for callers that
 * need only one kind of record, with the other modules' stores on the same database (`store.auth`,
 * `store.kb`, `store.inbox`, `store.routing`) instead of `new X(store.collection('users').db)`.
 */
import type { Collection, Db, Document, MongoClient } from 'mongodb';
import type { ActivityManifest, Agent, Journey } from '@baton/schemas';
import { MongoActivityCatalog, type ActivityCatalog, type RegisteredActivity } from './activity-catalog';
import { MongoAliasStore, type AliasStore } from './aliases';
import { createAuthStore, type AuthStore } from './auth';
import { InboxStore } from './inbox';
import { KbStore } from './kb';
import { RoutingStore } from './routing';
import { TriageModelStore } from './triage-models';
import { CannedResponseStore } from './canned-responses';
import { MongoConversationStore, type ConversationStore } from './conversations';
import { TypingStore } from './typing';
import type { ReadModels } from './read-models';
import { MongoJourneyStore, type JourneyStore } from './journeys';
import { MongoOutboxStore, type OutboxStore } from './outbox';
import { MongoSurveyStore, type SurveyStore } from './surveys';
import { MongoTicketStore, type TicketStore } from './tickets';
import { mongoServer, type WireServer } from './wire';
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
  TicketQuery,
  VersionSummary,
} from './types';

// Kept here for the callers that import them from the store (they live in their own modules).
export { collections } from './collections';
export {
  AliasRollbackError,
  AliasRoutesError,
  AliasVersionNotFoundError,
  aliasBucket,
  aliasRoutesProblem,
  liveAlias,
  routeForConversation,
} from './aliases';
export type { RegisteredActivity } from './activity-catalog';
export type { WireServer } from './wire';
export { filterShape, slowStoreMsFromEnv, type SlowStoreCommand } from './slow-commands';

/** The persistence Baton needs; MongoStore is the implementation on the official driver. */
export interface Store
  extends JourneyStore, AliasStore, ConversationStore, TicketStore, SurveyStore, OutboxStore, ActivityCatalog {
  readonly dbName: string;
  /** The database, for custom activities that keep their own collections (e.g. `orders`). */
  collection<T extends Document = Document>(name: string): Collection<T>;
  ensureIndexes(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** The server behind the wire protocol, and how the store adapts its writes to it. */
  readonly server: WireServer;

  /** The same records through their narrow stores, for callers that need only one kind. */
  readonly journeys: JourneyStore;
  readonly aliases: AliasStore;
  readonly conversations: ConversationStore;
  readonly tickets: TicketStore;
  readonly surveys: SurveyStore;
  readonly outbox: OutboxStore;
  readonly activities: ActivityCatalog;
  /** The stores of the other modules on the same database (their indexes are theirs to create). */
  readonly auth: AuthStore;
  readonly kb: KbStore;
  readonly inbox: InboxStore;
  readonly routing: RoutingStore;
  /** Published triage models and the corrections they learn from. */
  readonly triageModels: TriageModelStore;
  /** The admin's canned responses for the inbox's reply box. */
  readonly cannedResponses: CannedResponseStore;
  /** Who is typing to a customer now (short-lived, shared by every API process). */
  readonly typing: TypingStore;
  /** The inbox, counters, overlay and per-day measures the projection keeps (read-models.ts). */
  readonly readModels: ReadModels;
}

export class MongoStore implements Store {
  readonly journeys: MongoJourneyStore;
  readonly aliases: MongoAliasStore;
  readonly conversations: MongoConversationStore;
  readonly tickets: MongoTicketStore;
  readonly surveys: MongoSurveyStore;
  readonly outbox: MongoOutboxStore;
  readonly activities: MongoActivityCatalog;
  readonly auth: AuthStore;
  readonly kb: KbStore;
  readonly inbox: InboxStore;
  readonly routing: RoutingStore;
  readonly triageModels: TriageModelStore;
  readonly cannedResponses: CannedResponseStore;
  readonly typing: TypingStore;
  readonly readModels: ReadModels;

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    /** What the server does with filters; MongoDB's behaviour unless connectStore found otherwise. */
    readonly server: WireServer = mongoServer,
  ) {
    this.aliases = new MongoAliasStore(db);
    this.journeys = new MongoJourneyStore(db, this.aliases);
    this.conversations = new MongoConversationStore(db, server);
    this.tickets = new MongoTicketStore(db);
    this.surveys = new MongoSurveyStore(db);
    this.outbox = new MongoOutboxStore(db);
    this.activities = new MongoActivityCatalog(db);
    this.auth = createAuthStore(db);
    this.kb = new KbStore(db);
    this.inbox = new InboxStore(db);
    this.routing = new RoutingStore(db);
    this.triageModels = new TriageModelStore(db);
    this.cannedResponses = new CannedResponseStore(db);
    this.typing = new TypingStore(db);
    this.readModels = this.conversations.readModels;
  }

  get dbName(): string {
    return this.db.databaseName;
  }

  collection<T extends Document = Document>(name: string): Collection<T> {
    return this.db.collection<T>(name);
  }

  async ensureIndexes(): Promise<void> {
    await this.journeys.ensureIndexes();
    await this.conversations.ensureIndexes();
    await this.tickets.ensureIndexes();
    await this.surveys.ensureIndexes();
    await this.outbox.ensureIndexes();
    await this.aliases.ensureIndexes();
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

  // ------------------------------------------------------------ delegated to the per-record stores

  listJourneys(): Promise<JourneySummary[]> {
    return this.journeys.listJourneys();
  }
  getDraft(id: string): Promise<Journey | null> {
    return this.journeys.getDraft(id);
  }
  getDraftRecord(id: string): Promise<JourneyDraft | null> {
    return this.journeys.getDraftRecord(id);
  }
  createDraft(journey: Journey, author?: string): Promise<JourneyDraft> {
    return this.journeys.createDraft(journey, author);
  }
  saveDraft(id: string, journey: Journey, by?: string): Promise<JourneyDraft> {
    return this.journeys.saveDraft(id, journey, by);
  }
  setArchived(id: string, archived: boolean, by?: string): Promise<JourneySummary | null> {
    return this.journeys.setArchived(id, archived, by);
  }
  publishVersion(input: PublishInput): Promise<PublishResult> {
    return this.journeys.publishVersion(input);
  }
  getVersion(journeyId: string, version?: number): Promise<JourneyVersion | null> {
    return this.journeys.getVersion(journeyId, version);
  }
  listVersions(journeyId: string): Promise<VersionSummary[]> {
    return this.journeys.listVersions(journeyId);
  }

  setAlias(journeyId: string, alias: string, routes: readonly AliasRoute[], by?: string): Promise<SetAliasResult> {
    return this.aliases.setAlias(journeyId, alias, routes, by);
  }
  rollbackAlias(journeyId: string, alias: string, by?: string): Promise<SetAliasResult> {
    return this.aliases.rollbackAlias(journeyId, alias, by);
  }
  getAlias(journeyId: string, alias: string): Promise<AliasRecord | null> {
    return this.aliases.getAlias(journeyId, alias);
  }
  listAliases(journeyId: string): Promise<AliasRecord[]> {
    return this.aliases.listAliases(journeyId);
  }
  aliasHistory(journeyId: string, alias: string): Promise<AliasHistoryEntry[]> {
    return this.aliases.aliasHistory(journeyId, alias);
  }

  saveConversation(view: ConversationSnapshot): Promise<SaveConversationResult> {
    return this.conversations.saveConversation(view);
  }
  getConversation(conversationId: string): Promise<ConversationRecord | null> {
    return this.conversations.getConversation(conversationId);
  }
  listConversations(query?: ConversationQuery): Promise<ConversationRecord[]> {
    return this.conversations.listConversations(query);
  }

  openTicket(packet: TicketPacket): Promise<OpenTicketResult> {
    return this.tickets.openTicket(packet);
  }
  getTicket(ticketId: string): Promise<Ticket | null> {
    return this.tickets.getTicket(ticketId);
  }
  claimTicket(ticketId: string, agent: Agent): Promise<Ticket> {
    return this.tickets.claimTicket(ticketId, agent);
  }
  takeOverTicket(ticketId: string, fromAgentId: string, agent: Agent): Promise<Ticket> {
    return this.tickets.takeOverTicket(ticketId, fromAgentId, agent);
  }
  resolveTicket(ticketId: string, agent: Agent, resolution?: string): Promise<Ticket> {
    return this.tickets.resolveTicket(ticketId, agent, resolution);
  }
  setTicketFeedback(ticketId: string, feedback: TicketFeedback): Promise<Ticket> {
    return this.tickets.setTicketFeedback(ticketId, feedback);
  }
  listTickets(query?: TicketQuery): Promise<Ticket[]> {
    return this.tickets.listTickets(query);
  }

  recordSurvey(answer: SurveyRecord): Promise<RecordSurveyResult> {
    return this.surveys.recordSurvey(answer);
  }
  getSurvey(conversationId: string): Promise<SurveyRecord | null> {
    return this.surveys.getSurvey(conversationId);
  }
  listSurveys(query?: SurveyQuery): Promise<SurveyRecord[]> {
    return this.surveys.listSurveys(query);
  }

  recordOutbound(message: OutboundInput): Promise<RecordOutboundResult> {
    return this.outbox.recordOutbound(message);
  }
  listOutbound(query?: OutboundQuery): Promise<OutboundMessage[]> {
    return this.outbox.listOutbound(query);
  }

  registerActivities(manifests: readonly ActivityManifest[]): Promise<void> {
    return this.activities.registerActivities(manifests);
  }
  listActivities(): Promise<RegisteredActivity[]> {
    return this.activities.listActivities();
  }
}
