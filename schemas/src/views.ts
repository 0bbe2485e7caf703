/**
 * What the API answers to staff, as zod schemas (their types are `z.infer` of them): the conversation
 * view (GET /api/conversations/:id), its transcript entries, the inbox's items and the ticket with its
 * handoff packet (GET /api/tickets/:id). The interpreter core produces the conversation, the store the
 * tickets, the server answers them and the web apps read them; all of them take these types. The
 * metrics report's contract is in ./metrics.ts.
 */
import { z } from 'zod';
import { JsonValueSchema } from './common';
import { Agent, Customer } from './api';
import { Outcome } from './nodes';

// ---------------------------------------------------------------- the conversation

export const Speaker = z.enum(['customer', 'bot', 'agent', 'system']);
export type Speaker = z.infer<typeof Speaker>;

export const TranscriptEntry = z.object({
  /** Position in the transcript, from 1. */
  seq: z.number().int().min(1),
  from: Speaker,
  text: z.string(),
  at: z.number(),
  nodeId: z.string().optional(),
  clientMessageId: z.string().optional(),
  agent: Agent.optional(),
  /** Choices the bot offers with this message (the widget shows them as buttons); the customer may still type. */
  quickReplies: z.array(z.string().min(1).max(200)).max(12).optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;

export const PathStep = z.object({
  nodeId: z.string(),
  type: z.string(),
  at: z.number(),
  /** The handle the conversation left by (absent while it is still at the node). */
  handle: z.string().optional(),
  /** What happened there, for the handoff's "steps already tried". */
  note: z.string().optional(),
});

/** Why an activity call was made, so its result goes back to the right part of the node's step. */
export const CallPurpose = z.enum([
  'node',
  'classify',
  'open_ticket',
  'send_transcript',
  'record_survey',
  'route_ticket',
  'sla_escalate',
  'reopen_ticket',
  'release_agent',
  'followup_check',
]);

/** What the conversation waits for. */
export const Waiting = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reply'), nodeId: z.string(), until: z.number() }),
  z.object({ kind: z.literal('activity'), nodeId: z.string(), callId: z.string(), purpose: CallPurpose }),
  z.object({ kind: z.literal('agent'), nodeId: z.string(), ticketId: z.string(), until: z.number().nullable() }),
  z.object({ kind: z.literal('timer'), nodeId: z.string(), until: z.number() }),
  z.object({ kind: z.literal('survey'), nodeId: z.string(), until: z.number() }),
]);

const Intent = z.object({ name: z.string(), confidence: z.number() });

/** One SLA target of a routed ticket. */
const SlaTimer = z.object({
  dueAt: z.number(),
  warnAt: z.number(),
  warned: z.boolean().optional(),
  met: z.boolean().optional(),
});

/** A handoff of the conversation to the agents, as the conversation keeps it. */
export const HandoffRecord = z.object({
  ticketId: z.string(),
  nodeId: z.string(),
  queue: z.string(),
  priority: z.string(),
  reason: z.string(),
  openedAt: z.number(),
  claimedBy: Agent.optional(),
  claimedAt: z.number().optional(),
  resolvedAt: z.number().optional(),
  resolution: z.string().optional(),
  assignedTo: Agent.nullable().optional(),
  claimDeadline: z.number().optional(),
  sla: z.object({ firstResponse: SlaTimer.optional(), resolution: SlaTimer.optional() }).optional(),
  reopened: z.number().optional(),
  reopenRequested: z.boolean().optional(),
  events: z
    .array(
      z.object({
        at: z.number(),
        type: z.enum(['assigned', 'out_of_hours', 'sla_escalated', 'reopened', 'released']),
        detail: z.string(),
      }),
    )
    .optional(),
  leaving: z.enum(['resolved', 'timeout']).optional(),
});

/** A conversation as staff read it: the interpreter's state without its bookkeeping (core's `conversationView`). */
export const ConversationView = z.object({
  conversationId: z.string(),
  channel: z.string(),
  journey: z.object({ id: z.string(), version: z.number(), hash: z.string() }),
  status: z.enum(['active', 'ended']),
  /** The node the conversation is at (null once ended). */
  nodeId: z.string().nullable(),
  waiting: Waiting.nullable(),
  vars: z.record(z.string(), JsonValueSchema),
  customer: Customer,
  intent: Intent.nullable(),
  /** The first confident intent of the conversation: what the customer came for. */
  need: Intent.extend({ nodeId: z.string() }).nullable().optional(),
  sentiment: z.object({
    score: z.number(),
    label: z.enum(['negative', 'neutral', 'positive']),
    history: z.array(z.number()),
  }),
  counters: z.object({
    turns: z.number(),
    failures: z.number(),
    lowConfidence: z.number(),
    visits: z.record(z.string(), z.number()),
  }),
  lastMessage: z.string(),
  transcript: z.array(TranscriptEntry),
  path: z.array(PathStep),
  handoffs: z.array(HandoffRecord),
  survey: z
    .object({
      ces: z.number().optional(),
      csat: z.number().optional(),
      comment: z.string().optional(),
      at: z.number(),
    })
    .nullable(),
  outcome: Outcome.nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  /** An activity running while the conversation keeps waiting on the outside world (an SLA escalation). */
  background: z.object({ callId: z.string(), purpose: CallPurpose }).nullable().optional(),
  /** Related knowledge-base articles offered at the follow-up. */
  articles: z.array(z.string()).optional(),
});
export type ConversationView = z.infer<typeof ConversationView>;

/** GET /api/conversations/:id to staff: the conversation and its Temporal UI link (when one is configured). */
export const ConversationAnswer = z.object({
  conversation: ConversationView,
  temporalUrl: z.string().optional(),
});
export type ConversationAnswer = z.infer<typeof ConversationAnswer>;

// ---------------------------------------------------------------- what the customer reads

/** What the conversation waits for, as its customer may know it: the kind only. */
export const CustomerWaiting = z.object({ kind: z.enum(['reply', 'activity', 'agent', 'timer', 'survey']) });

/** A transcript entry as the customer saw it: an agent by name only; `notice` marks the bot's words at a handoff. */
export const CustomerTranscriptEntry = TranscriptEntry.pick({
  seq: true,
  from: true,
  text: true,
  at: true,
  clientMessageId: true,
  quickReplies: true,
}).extend({
  agent: z.object({ name: z.string() }).optional(),
  /** The bot's words at a handoff: first the warm transition (`handoff`), then an agent joining (`joined`). */
  notice: z.enum(['handoff', 'joined']).optional(),
});
export type CustomerTranscriptEntry = z.infer<typeof CustomerTranscriptEntry>;

/**
 * A conversation as its customer's token reads it (core's `customerView`): the transcript as they saw
 * it, the status and what it waits for; of the variables only those the journey declares
 * `customerVisible`, secrets hidden. Nothing of routing, sentiment, notes, staff or the engine.
 */
export const CustomerView = z.object({
  conversationId: z.string(),
  status: z.enum(['active', 'ended']),
  waiting: CustomerWaiting.nullable(),
  transcript: z.array(CustomerTranscriptEntry),
  /** Whether the customer answered the satisfaction survey. */
  surveyed: z.boolean(),
  vars: z.record(z.string(), JsonValueSchema),
});
export type CustomerView = z.infer<typeof CustomerView>;

/** GET /api/conversations/:id to the conversation's customer. */
export const CustomerConversationAnswer = z.object({ conversation: CustomerView });
export type CustomerConversationAnswer = z.infer<typeof CustomerConversationAnswer>;

// ---------------------------------------------------------------- the inbox

/** One row of the agents' inbox: a ticket, or a conversation the bot still handles (GET /api/inbox/items). */
export const InboxItem = z.object({
  /** The ticket id for escalated conversations, else the conversation id. */
  id: z.string(),
  kind: z.enum(['ticket', 'conversation']),
  status: z.string(),
  conversationId: z.string(),
  ticketId: z.string().nullable(),
  customer: Customer,
  journey: z.object({ id: z.string(), version: z.number() }),
  channel: z.string(),
  intent: Intent.nullable(),
  sentiment: z.object({ score: z.number(), label: z.string() }),
  queue: z.string().nullable(),
  priority: z.string().nullable(),
  reopened: z.boolean(),
  assignee: Agent.nullable(),
  lastMessage: z.object({ from: z.string(), text: z.string(), at: z.number() }).nullable(),
  updatedAt: z.number(),
  /** When the ticket was opened (tickets only): a pending ticket waits from then. */
  openedAt: z.number().optional(),
  /** The next SLA deadline still open (first response while pending, else resolution), when the ticket has one. */
  dueAt: z.number().optional(),
});
export type InboxItem = z.infer<typeof InboxItem>;

export const InboxList = z.object({
  items: z.array(InboxItem),
  /** Items per inbox status. */
  counts: z.record(z.string(), z.number()),
  queues: z.array(z.string()),
  assignees: z.array(Agent),
});
export type InboxList = z.infer<typeof InboxList>;

// ---------------------------------------------------------------- the ticket

/**
 * A ticket as the inbox reads it: the handoff packet the interpreter built (core's packet.ts, the input
 * of `baton.openTicket`), its AI summary, and where it stands. Loose: routing keeps its own fields on
 * the stored ticket (assignment, routing events), which the answer carries as they are.
 */
export const HandoffTicket = z.looseObject({
  ticketId: z.string(),
  conversationId: z.string(),
  journey: z.object({ id: z.string(), version: z.number() }),
  channel: z.string(),
  queue: z.string(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  reason: z.string(),
  customer: Customer,
  intent: Intent.nullable(),
  sentiment: z.object({
    score: z.number(),
    label: z.string(),
    history: z.array(z.number()).optional(),
    trend: z.string().optional(),
  }),
  stepsTried: z.array(z.string()),
  variables: z.record(z.string(), JsonValueSchema),
  counters: z.object({
    turns: z.number().optional(),
    failures: z.number().optional(),
    lowConfidence: z.number().optional(),
  }),
  /** The transcript up to the handoff, without the interpreter's own fields. */
  transcript: z.array(TranscriptEntry.pick({ seq: true, from: true, text: true, at: true })),
  openedAt: z.number(),
  summary: z.string(),
  /** Why `summary` is the first customer message instead of the AI's (the model failed or was too slow). */
  summaryFallback: z.string().optional(),
  status: z.enum(['pending', 'open', 'resolved']),
  assignee: Agent.nullable(),
  claimedAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  resolution: z.string().nullable(),
  /** The agent's verdict on the handoff, as the ticket keeps the last one. */
  feedback: z
    .object({
      agent: Agent,
      summaryHelpful: z.boolean().optional(),
      correctIntent: z.string().optional(),
      misrouted: z.boolean().optional(),
      comment: z.string().optional(),
      at: z.number(),
    })
    .nullable()
    .optional(),
  /** Times the customer reopened it (routing counts them). */
  reopened: z.union([z.boolean(), z.number()]).optional(),
});
export type HandoffTicket = z.infer<typeof HandoffTicket>;
