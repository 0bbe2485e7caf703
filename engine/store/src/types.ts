import type { Agent, CompiledJourney, Customer, Journey, JsonValue } from '@baton/schemas';
import type { ConversationView as CoreConversationView } from '@baton/core/interpreter';

/*
 * Time conventions: journeys, versions and the outbox are documents the store owns and carry
 * `Date`s; conversations, tickets and surveys come from the interpreter, whose clock is the
 * workflow's, and carry epoch milliseconds (numbers), exactly as in ConversationState.
 */

// ---------------------------------------------------------------- journeys

export interface JourneySummary {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  /** Who saved it last (created or saved it), when the API knew the signed-in user. */
  updatedBy?: string;
  /** The latest published version; null while the journey was never published. */
  latestVersion: number | null;
  /** Hidden from the journey list (restorable); its versions keep running. */
  archivedAt?: Date;
  archivedBy?: string;
}

export interface JourneyDraft extends JourneySummary {
  /** The source definition, as the designer and git hold it. */
  journey: Journey;
  createdBy?: string;
}

export interface PublishInput {
  journeyId: string;
  source: Journey;
  compiled: CompiledJourney;
  author?: string;
  message?: string;
}

export interface PublishResult {
  version: number;
  hash: string;
  /** False when the latest version already had this content hash (publishing is then a no-op). */
  created: boolean;
}

export interface VersionSummary {
  journeyId: string;
  version: number;
  hash: string;
  name: string;
  publishedAt: Date;
  author?: string;
  message?: string;
}

export interface JourneyVersion extends VersionSummary {
  /** The source as published, its `version` field set to this version. */
  source: Journey;
  /** The compiled journey, its `version` field set to this version. */
  compiled: CompiledJourney;
}

// ---------------------------------------------------------------- conversations

export type ConversationStatus = 'active' | 'ended';

/**
 * What the workflow and the API hand to the store: the conversation's view (its state without the
 * interpreter's bookkeeping, see core/view.ts), optionally with the workflow time it was taken at.
 */
export type ConversationSnapshot = CoreConversationView & { updatedAt?: number };

/** The stored projection of one conversation (the workflow holds the truth): the view plus flat query fields. */
export type ConversationRecord = CoreConversationView & {
  journeyId: string;
  version: number;
  /** Workflow time of the state this projection was taken from; a projection never replaces a newer one. */
  updatedAt: number;
};

export interface ConversationQuery {
  journeyId?: string;
  /** The journey version the conversation runs (as last projected). */
  version?: number;
  status?: ConversationStatus;
  /** At most this many, newest (updatedAt) first; 50 by default, 500 at most. */
  limit?: number;
}

export interface SaveConversationResult {
  /** False when the stored projection was newer and was kept. */
  written: boolean;
}

// ---------------------------------------------------------------- tickets

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketStatus = 'pending' | 'open' | 'resolved';

/** The handoff packet built by the interpreter (engine/core/src/interpreter/packet.ts) plus the AI summary. */
export interface TicketPacket {
  ticketId: string;
  conversationId: string;
  journey: { id: string; version: number };
  channel: string;
  queue: string;
  priority: TicketPriority;
  reason: string;
  customer: Customer;
  intent: { name: string; confidence: number } | null;
  sentiment: { score: number; label: string; history?: number[]; trend?: string };
  stepsTried: string[];
  variables: Record<string, JsonValue>;
  counters: { turns?: number; failures?: number; lowConfidence?: number };
  transcript: { seq: number; from: string; text: string; at: number }[];
  openedAt: number;
  summary: string;
  /** Why `summary` is the first customer message instead of the AI's (the model failed or was too slow). */
  summaryFallback?: string;
}

export interface TicketFeedback {
  agent: Agent;
  /** Did the handoff summary help? */
  summaryHelpful?: boolean;
  /** The intent the bot should have found: a labelled example that improves triage. */
  correctIntent?: string;
  /** The conversation should not have come to this queue. */
  misrouted?: boolean;
  comment?: string;
  at: number;
}

export interface Ticket extends TicketPacket {
  status: TicketStatus;
  assignee: Agent | null;
  claimedAt: number | null;
  resolvedAt: number | null;
  resolution: string | null;
  feedback: TicketFeedback | null;
}

export interface OpenTicketResult {
  ticket: Ticket;
  /** False when the ticket already existed (a retried activity): nothing was changed. */
  created: boolean;
}

export interface TicketQuery {
  status?: TicketStatus;
  queue?: string;
  /** Agent id. */
  assignee?: string;
  /** 50 by default, 500 at most. */
  limit?: number;
}

// ---------------------------------------------------------------- surveys

export interface SurveyRecord {
  conversationId: string;
  journey: { id: string; version: number; hash?: string };
  customerId: string;
  ces?: number;
  csat?: number;
  comment?: string;
  at: number;
}

export interface RecordSurveyResult {
  survey: SurveyRecord;
  created: boolean;
}

export interface SurveyQuery {
  journeyId?: string;
  version?: number;
  limit?: number;
}

// ---------------------------------------------------------------- outbox

export interface OutboundInput {
  idempotencyKey: string;
  /** 'log' is the development channel: the message is only recorded. */
  channel: string;
  to: string;
  subject: string;
  body: string;
}

export interface OutboundMessage extends OutboundInput {
  createdAt: Date;
}

export interface RecordOutboundResult {
  message: OutboundMessage;
  /** False when a message with this idempotency key was already recorded (nothing is sent twice). */
  created: boolean;
}

export interface OutboundQuery {
  to?: string;
  channel?: string;
  limit?: number;
}

// ---------------------------------------------------------------- aliases

/** One target of an alias: a published version and the share of new conversations (1–100) it gets. */
export interface AliasRoute {
  version: number;
  percent: number;
}

/**
 * A named pointer at published versions (`live`, `beta` …). New conversations that name the alias
 * (or name nothing, for `live`) start on one of its routes: one route at 100 %, or two that split
 * the traffic (a canary), chosen deterministically per conversation.
 */
export interface AliasRecord {
  journeyId: string;
  alias: string;
  routes: AliasRoute[];
  /** How many changes the alias has seen; the history entry of the current routes has this number. */
  revision: number;
  updatedAt: Date;
  updatedBy?: string;
}

/** One change of an alias, in `alias_history`: the audit trail, and what rollback reads. */
export interface AliasHistoryEntry {
  journeyId: string;
  alias: string;
  revision: number;
  action: 'set' | 'rollback';
  /** Null when this change created the alias. */
  before: AliasRoute[] | null;
  after: AliasRoute[];
  at: Date;
  by?: string;
  /** For a rollback: the revision whose change it undid. */
  undoes?: number;
}

export interface SetAliasResult {
  alias: AliasRecord;
  /** False when the alias already had these routes (nothing was recorded). */
  changed: boolean;
}
