/**
 * Contracts of Baton's built-in activities: their names, what the interpreter's node steps send them
 * (engine/core/src/kinds/<kind>/step.ts) and what they answer. The worker implements them
 * (workers/worker/src/activities), the CLI's catalog publishes them, the simulators fake them
 * (engine/core/src/simulator/builtin-fakes.ts). Fields a packet carries but an activity does not use
 * pass through untouched (loose objects).
 */
import { z } from 'zod';
import { contract, type BuiltinActivityContract } from './builtin-contract';
import { answerContract } from './nodes/answer/activity';
import { JsonValueSchema } from './common';
import { Agent, Customer } from './api';
import { Outcome, Priority, TriageModelName } from './nodes';
import { TicketPriority } from './routing';
import { builtinActivityNames, isBuiltinActivityName, type BuiltinActivityName } from './builtin-activity-names';

export { builtinActivityNames, isBuiltinActivityName, type BuiltinActivityName };

export type { BuiltinActivityContract } from './builtin-contract';
export { AnswerCitation, answerContract } from './nodes/answer/activity';

// ---------------------------------------------------------------- classify

/** Intents of the trained triage model (workers/ai/models/triage-model.json) a declared intent may stand for. */
const ModelIntent = z.string().regex(/^[a-z][a-z_]{0,63}$/);

const IntentInput = z.object({
  name: z.string().min(1).max(64),
  examples: z.array(z.string().max(500)).min(1).max(200),
  description: z.string().max(500).optional(),
  modelIntents: z.array(ModelIntent).max(30).optional(),
});

const SentimentOutput = z.object({
  score: z.number().min(-1).max(1),
  label: z.enum(['negative', 'neutral', 'positive']),
});

export const classifyContract = contract({
  name: builtinActivityNames.classify,
  description:
    "Classifies the customer's message into one of the declared intents, with a confidence, and measures its sentiment.",
  timeoutSeconds: 10,
  retry: { maximumAttempts: 2 },
  input: z
    .object({
      // The workflow caps messages; a longer template rendering is still classified (by its beginning).
      text: z.string().max(100_000),
      /** The journey whose agents' corrections apply (core/steps/classify.ts sends it); all journeys' when absent. */
      journeyId: z.string().min(1).max(200).optional(),
      /** Example-phrase intents; none when a published model classifies. */
      intents: z.array(IntentInput).max(50).default([]),
      minConfidence: z.number().min(0).max(1).default(0.5),
      /** A published triage model (`name@version`; the newest when the version is left out) in place of the intents. */
      model: z.object({ name: TriageModelName, version: z.number().int().positive().optional() }).optional(),
    })
    .refine((input) => input.model !== undefined || input.intents.length > 0, {
      path: ['intents'],
      message: 'declare at least one intent, or name a model',
    }),
  output: z.object({
    /** A declared intent's name; with a model, the model's own intent (null when out of scope). */
    intent: z.string().nullable(),
    confidence: z.number().min(0).max(1),
    sentiment: SentimentOutput,
    reasons: z.array(z.string()),
    /** With a model: the model found the text outside everything it knows. */
    outOfScope: z.boolean().optional(),
    /** The best few intents, best first, when the classifier ranks them (a node may ask "A or B?"). */
    ranking: z
      .array(z.object({ intent: z.string().min(1), confidence: z.number().min(0).max(1) }))
      .max(10)
      .optional(),
  }),
});

// ---------------------------------------------------------------- tickets and follow-up

const PacketTranscriptEntry = z.looseObject({
  seq: z.number().int().min(1),
  from: z.string(),
  text: z.string(),
  at: z.number(),
});

/** The handoff packet of core/packet.ts: the input of `baton.openTicket`. */
export const HandoffPacket = z.looseObject({
  ticketId: z.string().min(1).max(200),
  conversationId: z.string().min(1).max(200),
  journey: z.looseObject({ id: z.string().min(1), version: z.number().int().min(0) }),
  channel: z.string(),
  queue: z.string().min(1).max(100),
  priority: Priority,
  reason: z.string(),
  customer: Customer,
  intent: z.object({ name: z.string(), confidence: z.number() }).nullable().default(null),
  sentiment: z.looseObject({
    score: z.number().min(-1).max(1),
    label: z.string(),
    history: z.array(z.number()).default([]),
    trend: z.string().optional(),
  }),
  stepsTried: z.array(z.string()).default([]),
  variables: z.record(z.string(), JsonValueSchema).default({}),
  counters: z
    .looseObject({
      turns: z.number().optional(),
      failures: z.number().optional(),
      lowConfidence: z.number().optional(),
    })
    .default({}),
  transcript: z.array(PacketTranscriptEntry),
  openedAt: z.number(),
});

export const openTicketContract = contract({
  name: builtinActivityNames.openTicket,
  description:
    "Opens the handoff ticket in the agents' inbox with the conversation, its summary, sentiment and the steps already tried.",
  timeoutSeconds: 30,
  input: HandoffPacket,
  output: z.object({
    ticketId: z.string(),
    status: z.enum(['pending', 'open', 'resolved']),
    created: z.boolean(),
    summary: z.string(),
  }),
});

export const sendTranscriptContract = contract({
  name: builtinActivityNames.sendTranscript,
  description:
    'Sends the conversation transcript to the customer (the development channel "log" records it in the outbox).',
  timeoutSeconds: 30,
  input: z.object({
    conversationId: z.string().min(1),
    customer: Customer,
    transcript: z.array(z.looseObject({ from: z.string(), text: z.string(), at: z.number() })),
    /** The follow-up's visit, from the second on (a reopened ticket is followed up again). */
    sequence: z.number().int().min(2).optional(),
  }),
  output: z.object({ sent: z.boolean(), to: z.string(), duplicate: z.boolean() }),
});

export const recordSurveyContract = contract({
  name: builtinActivityNames.recordSurvey,
  description: "Stores the customer's survey answers (CES 1–7, CSAT 1–5), once per conversation.",
  timeoutSeconds: 30,
  input: z.object({
    conversationId: z.string().min(1),
    journey: z.looseObject({ id: z.string().min(1), version: z.number().int().min(0), hash: z.string().optional() }),
    customerId: z.string().min(1),
    ces: z.number().int().min(1).max(7).optional(),
    csat: z.number().int().min(1).max(5).optional(),
    comment: z.string().max(2000).optional(),
    at: z.number(),
  }),
  output: z.object({ recorded: z.boolean(), created: z.boolean() }),
});

// ---------------------------------------------------------------- the conversation's projection

/** A conversation's view (core/view.ts): validated where the store reads it, the rest kept as it is. */
const ConversationViewInput = z.looseObject({
  conversationId: z.string().min(1),
  channel: z.string(),
  journey: z.looseObject({ id: z.string().min(1), version: z.number().int().min(0), hash: z.string() }),
  status: z.enum(['active', 'ended']),
  nodeId: z.string().nullable(),
  waiting: z
    .looseObject({ kind: z.enum(['reply', 'activity', 'agent', 'timer', 'survey']), nodeId: z.string() })
    .nullable(),
  vars: z.record(z.string(), JsonValueSchema).default({}),
  customer: Customer,
  intent: z.object({ name: z.string(), confidence: z.number() }).nullable().default(null),
  sentiment: z.looseObject({
    score: z.number(),
    label: z.enum(['negative', 'neutral', 'positive']),
    history: z.array(z.number()).default([]),
  }),
  counters: z.looseObject({
    turns: z.number().default(0),
    failures: z.number().default(0),
    lowConfidence: z.number().default(0),
    visits: z.record(z.string(), z.number()).default({}),
  }),
  lastMessage: z.string().default(''),
  transcript: z.array(
    z.looseObject({
      seq: z.number().int(),
      from: z.enum(['customer', 'bot', 'agent', 'system']),
      text: z.string(),
      at: z.number(),
      agent: Agent.optional(),
    }),
  ),
  path: z.array(
    z.looseObject({
      nodeId: z.string(),
      type: z.string(),
      at: z.number(),
      handle: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
  handoffs: z
    .array(
      z.looseObject({
        ticketId: z.string(),
        nodeId: z.string(),
        queue: z.string(),
        priority: z.string(),
        reason: z.string(),
        openedAt: z.number(),
      }),
    )
    .default([]),
  survey: z.looseObject({ at: z.number() }).nullable().default(null),
  outcome: Outcome.nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
});

const SaveConversationInput = z
  .object({
    /** What the workflow sends: `{ conversation: conversationView(state) }`. */
    conversation: ConversationViewInput.optional(),
    /** The same, under the name `state`. */
    state: ConversationViewInput.optional(),
    /** Workflow time of the view; the latest thing in it when absent. */
    updatedAt: z.number().optional(),
  })
  .refine((input) => (input.conversation === undefined) !== (input.state === undefined), {
    message: 'give the conversation as "conversation" (or "state"), once',
  });

export const finishConversationContract = contract({
  name: builtinActivityNames.finishConversation,
  description: 'Stores the final state of a conversation that ended (called by the workflow, not from a journey).',
  timeoutSeconds: 30,
  input: SaveConversationInput,
  output: z.object({ saved: z.boolean() }),
});

export const saveConversationContract = contract({
  name: builtinActivityNames.saveConversation,
  description:
    'Stores the current state of a conversation for the inbox, lists and metrics (never replaces a newer one).',
  timeoutSeconds: 30,
  input: SaveConversationInput,
  output: z.object({ saved: z.boolean() }),
});

// ---------------------------------------------------------------- routing

const AgentRef = z.object({ id: z.string(), name: z.string() });

export const routeTicketContract = contract({
  name: builtinActivityNames.routeTicket,
  description:
    "Assigns a handed-off ticket to an available agent of its queue with the skills (least-loaded or round-robin), and tells the queue's hours and SLA targets.",
  timeoutSeconds: 30,
  input: z.object({
    ticketId: z.string().min(1).max(200),
    conversationId: z.string().min(1).max(200),
    queue: z.string().min(1).max(100),
    priority: TicketPriority,
    skills: z.array(z.string().min(1).max(50)).max(20).default([]),
    customer: Customer,
    at: z.number(),
  }),
  output: z.object({
    queue: z.string(),
    priority: TicketPriority,
    agent: AgentRef.nullable(),
    outOfHours: z.object({ message: z.string(), opensAt: z.number().nullable() }).nullable(),
    sla: z
      .object({
        firstResponseSeconds: z.number().nullable(),
        resolutionSeconds: z.number().nullable(),
        warnAt: z.number(),
      })
      .nullable(),
  }),
});

export const slaEscalateContract = contract({
  name: builtinActivityNames.slaEscalate,
  description:
    "Raises a ticket's priority and/or moves it to the queue's overflow queue when an SLA target is near breach.",
  timeoutSeconds: 30,
  input: z.object({
    ticketId: z.string().min(1).max(200),
    conversationId: z.string().min(1).max(200),
    queue: z.string().min(1).max(100),
    priority: TicketPriority,
    targets: z.array(z.enum(['first_response', 'resolution'])).min(1),
    at: z.number(),
  }),
  output: z.object({ queue: z.string(), priority: TicketPriority, targets: z.array(z.string()) }),
});

export const releaseAgentContract = contract({
  name: builtinActivityNames.releaseAgent,
  description: "Frees the assigned agent's slot once the ticket is resolved or left (once per ticket).",
  timeoutSeconds: 30,
  input: z.object({ ticketId: z.string().min(1).max(200), agentId: z.string().min(1) }),
  output: z.object({ released: z.boolean() }),
});

export const reopenTicketContract = contract({
  name: builtinActivityNames.reopenTicket,
  description:
    'Reopens a resolved ticket (same agent) when the customer writes again before the conversation ends, and counts it.',
  timeoutSeconds: 30,
  input: z.object({
    ticketId: z.string().min(1).max(200),
    conversationId: z.string().min(1),
    text: z.string().max(4000),
    at: z.number(),
  }),
  output: z.object({ reopened: z.boolean(), status: z.string().nullable(), count: z.number() }),
});

export const followupCheckContract = contract({
  name: builtinActivityNames.followupCheck,
  description:
    'Checks the per-customer survey limit against the stored surveys and finds up to 3 related knowledge-base articles.',
  timeoutSeconds: 30,
  input: z.object({
    conversationId: z.string().min(1),
    customerId: z.string().min(1),
    surveyLimitDays: z.number().int().min(1).max(365).optional(),
    relatedArticles: z.boolean().default(false),
    topic: z.string().max(500).default(''),
    at: z.number(),
  }),
  output: z.object({ surveyAllowed: z.boolean(), reason: z.string().optional(), articles: z.array(z.string()).max(3) }),
});

/** Every built-in, in the order the worker registers them. */
export const builtinActivityContracts: readonly BuiltinActivityContract[] = [
  classifyContract,
  openTicketContract,
  sendTranscriptContract,
  recordSurveyContract,
  finishConversationContract,
  saveConversationContract,
  routeTicketContract,
  slaEscalateContract,
  releaseAgentContract,
  reopenTicketContract,
  followupCheckContract,
  answerContract,
];
