import type {
  Agent,
  CompiledJourney,
  Customer,
  JsonValue,
  Outcome,
  RetryPolicy,
  Speaker,
  TranscriptEntry,
} from '@baton/schemas';

/** The transcript's contract is the API's (@baton/schemas views.ts). */
export type { Speaker, TranscriptEntry };

export interface PathStep {
  nodeId: string;
  type: string;
  at: number;
  /** The handle the conversation left by (absent while it is still at the node). */
  handle?: string;
  /** What happened there, for the handoff's "steps already tried". */
  note?: string;
}

/** Why an activity call was made, so its result goes back to the right part of the node's step. */
export type CallPurpose =
  | 'node'
  | 'classify'
  | 'open_ticket'
  | 'send_transcript'
  | 'record_survey'
  | 'route_ticket'
  | 'sla_escalate'
  | 'reopen_ticket'
  | 'release_agent'
  | 'followup_check';

export type Waiting =
  | { kind: 'reply'; nodeId: string; until: number }
  | { kind: 'activity'; nodeId: string; callId: string; purpose: CallPurpose }
  | { kind: 'agent'; nodeId: string; ticketId: string; until: number | null }
  | { kind: 'timer'; nodeId: string; until: number }
  | { kind: 'survey'; nodeId: string; until: number };

export interface Sentiment {
  /** −1 (angry) … 1 (happy). */
  score: number;
  label: 'negative' | 'neutral' | 'positive';
}

/** One SLA target of a routed ticket: a Temporal timer fires at `warnAt` (e.g. 80 % of the target). */
export interface SlaTimer {
  dueAt: number;
  warnAt: number;
  /** The escalation was made. */
  warned?: boolean;
  /** Met in time (the agent answered / resolved): the timer no longer runs. */
  met?: boolean;
}

/** What happened to a routed ticket, in order: assignment, SLA escalations, reopenings. */
export interface HandoffEvent {
  at: number;
  type: 'assigned' | 'out_of_hours' | 'sla_escalated' | 'reopened' | 'released';
  detail: string;
}

export interface HandoffRecord {
  ticketId: string;
  nodeId: string;
  queue: string;
  priority: string;
  reason: string;
  openedAt: number;
  claimedBy?: Agent;
  claimedAt?: number;
  resolvedAt?: number;
  resolution?: string;
  /** Routing (handoff nodes with `routing` only): the agent the ticket was assigned to, if any was free. */
  assignedTo?: Agent | null;
  /** When nobody claimed by then, the handoff takes `timeout` (routed tickets keep it here, as SLA timers share the wait). */
  claimDeadline?: number;
  sla?: { firstResponse?: SlaTimer; resolution?: SlaTimer };
  /** How many times a customer reply after resolution reopened the ticket. */
  reopened?: number;
  /** Set when a follow-up left by `reopened`: entering this handoff's node again reopens this ticket. */
  reopenRequested?: boolean;
  events?: HandoffEvent[];
  /** The handle the handoff leaves by once the assigned agent's slot is released. */
  leaving?: 'resolved' | 'timeout';
}

export interface SurveyAnswer {
  ces?: number;
  csat?: number;
  comment?: string;
  at: number;
}

export interface ConversationState {
  conversationId: string;
  channel: string;
  journey: { id: string; version: number; hash: string };
  status: 'active' | 'ended';
  /** The node the conversation is at (null once ended). */
  nodeId: string | null;
  waiting: Waiting | null;
  vars: Record<string, JsonValue>;
  customer: Customer;
  intent: { name: string; confidence: number } | null;
  /**
   * The first confident intent of the conversation: what the customer came for. Later classify
   * nodes (e.g. "did the link work? yes/no") change `intent` but not this; the agent's packet shows it.
   * Absent in states from before it existed.
   */
  need?: { name: string; confidence: number; nodeId: string } | null;
  sentiment: Sentiment & { history: number[] };
  counters: { turns: number; failures: number; lowConfidence: number; visits: Record<string, number> };
  lastMessage: string;
  /** Customer messages that arrived while the bot was busy; the next ask takes the oldest. */
  buffered: string[];
  transcript: TranscriptEntry[];
  path: PathStep[];
  handoffs: HandoffRecord[];
  survey: SurveyAnswer | null;
  outcome: Outcome | null;
  startedAt: number;
  endedAt: number | null;
  /** Increments with each activity call; call ids derive from it, so replays agree. */
  calls: number;
  /** clientMessageId → seq of the transcript entry it produced, so a retried message is not a second one. */
  messageIds: Record<string, number>;
  /** An activity running while the conversation keeps waiting on the outside world (an SLA escalation). */
  background?: { callId: string; purpose: CallPurpose } | null;
  /** Related knowledge-base articles offered at the follow-up. */
  articles?: string[];
  /**
   * A classify node asked "Did you mean A or B?" and waits for the choice (kinds/classify/clarify.ts);
   * `reclassifying` while a reply that named neither is classified between the two.
   */
  clarifying?: { nodeId: string; choices: ClarifyChoice[]; reclassifying?: boolean } | null;
  /**
   * Behaviour kept for conversations whose history was recorded before a change (set by the workflow
   * from Temporal's `patched()`; absent everywhere else). `clarifyByTextOnly`: a clarifying reply that
   * names neither choice goes to the fallback without being classified between the two.
   */
  compat?: { clarifyByTextOnly?: boolean };
}

/** One of the two intents a classify node offers when it asks which was meant. */
export interface ClarifyChoice {
  handle: string;
  intent: string;
  confidence: number;
  title: string;
}

export interface ActivityCall {
  type: 'call_activity';
  callId: string;
  nodeId: string;
  activity: string;
  input: { [key: string]: JsonValue };
  timeoutSeconds: number;
  retry: RetryPolicy;
  purpose: CallPurpose;
  /** Short in-process work (e.g. embedded AI) the host may run as a Temporal local activity. */
  local?: boolean;
  /** The Temporal task queue of the workers that run the activity, when it is not the conversation's own. */
  taskQueue?: string;
}

export type Effect =
  | { type: 'say'; entry: TranscriptEntry }
  | ActivityCall
  | { type: 'wait'; waiting: Waiting }
  | { type: 'end'; outcome: Outcome };

export type ConversationEvent =
  | { type: 'customer_message'; at: number; text: string; clientMessageId: string }
  | { type: 'timeout'; at: number }
  | { type: 'activity_result'; at: number; callId: string; ok: true; output: JsonValue }
  | { type: 'activity_result'; at: number; callId: string; ok: false; error: string }
  | { type: 'agent_claimed'; at: number; agent: Agent }
  | { type: 'agent_message'; at: number; agent: Agent; text: string; clientMessageId: string }
  | { type: 'ticket_resolved'; at: number; agent: Agent; resolution?: string }
  | { type: 'survey_answered'; at: number; ces?: number; csat?: number; comment?: string };

export interface StartInput {
  conversationId: string;
  channel: string;
  customer: Customer;
  variables: Record<string, JsonValue>;
  at: number;
}

export interface StepOutput {
  state: ConversationState;
  effects: Effect[];
  /** Set when the event does not apply to the conversation as it is; the state is unchanged. */
  rejected?: string;
  /** Set when the event is a retry of a customer or agent message already taken. */
  duplicate?: boolean;
}

export type { CompiledJourney };
