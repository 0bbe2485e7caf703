/**
 * Baton's built-in activities, called by the interpreter's node steps (engine/core/src/interpreter/steps) and
 * by the workflow. Their input schemas mirror exactly what the core sends; fields the packet
 * carries but the activity does not use pass through untouched.
 */
import { z } from 'zod';
import { Agent, Customer, JsonValueSchema, Outcome, Priority } from '@baton/schemas';
import type { ConversationSnapshot } from '@baton/store';
import { defineActivity, type ActivityDefinition } from '@baton/activity-sdk';
import type { TranscriptLine } from '@baton/ai';
import { classifyActivity } from './classify';
import { deliverOutbound, routingActivities } from './routing';

/** `baton.classify` lives in ./classify.ts (with the agents' corrections); registered here with the other built-ins. */
export { classifyActivity };

const PacketTranscriptEntry = z.looseObject({
  seq: z.number().int().min(1),
  from: z.string(),
  text: z.string(),
  at: z.number(),
});

/** The handoff packet of core/packet.ts. */
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

/** How long the summary may take before the ticket opens with a plain one: a failing model never holds up a handoff. */
const summaryTimeoutMs = 5_000;

function fallbackSummary(transcript: readonly TranscriptLine[]): string {
  const first = transcript.find((line) => line.from === 'customer');
  return first ? `Customer wrote: "${first.text.slice(0, 300)}"` : 'No customer message yet.';
}

async function summaryOf(
  transcript: readonly TranscriptLine[],
  summarize: (lines: readonly TranscriptLine[]) => Promise<string>,
  warn: (message: string) => void,
): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no summary within ${summaryTimeoutMs} ms`)), summaryTimeoutMs);
    });
    const summary = await Promise.race([summarize(transcript), timeout]);
    return summary.trim() === '' ? fallbackSummary(transcript) : summary;
  } catch (error) {
    warn(`summary failed, using the first customer message: ${error instanceof Error ? error.message : String(error)}`);
    return fallbackSummary(transcript);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** `baton.openTicket`: the handoff's ticket, with an AI summary; idempotent on ticketId (core/steps/handoff.ts). */
export const openTicketActivity = defineActivity({
  name: 'baton.openTicket',
  description:
    "Opens the handoff ticket in the agents' inbox with the conversation, its summary, sentiment and the steps already tried.",
  builtin: true,
  timeoutSeconds: 30,
  input: HandoffPacket,
  output: z.object({
    ticketId: z.string(),
    status: z.enum(['pending', 'open', 'resolved']),
    created: z.boolean(),
    summary: z.string(),
  }),
  async run(packet, ctx) {
    // A retry of an open that succeeded changes nothing (and asks the model nothing).
    const existing = await ctx.store.getTicket(packet.ticketId);
    if (existing)
      return { ticketId: existing.ticketId, status: existing.status, created: false, summary: existing.summary };
    const summary = await summaryOf(
      packet.transcript,
      (lines) => ctx.ai.summarize(lines),
      (message) => ctx.log.warn(message),
    );
    const { ticket, created } = await ctx.store.openTicket({ ...packet, summary });
    if (created) ctx.log.info(`ticket ${ticket.ticketId} opened in ${ticket.queue} (${ticket.priority})`);
    return { ticketId: ticket.ticketId, status: ticket.status, created, summary: ticket.summary };
  },
});

/** `baton.sendTranscript`: the transcript to the customer through the outbound channel (core/steps/followup.ts). */
export const sendTranscriptActivity = defineActivity({
  name: 'baton.sendTranscript',
  description:
    'Sends the conversation transcript to the customer (the development channel "log" records it in the outbox).',
  builtin: true,
  timeoutSeconds: 30,
  input: z.object({
    conversationId: z.string().min(1),
    customer: Customer,
    transcript: z.array(z.looseObject({ from: z.string(), text: z.string(), at: z.number() })),
    /** The follow-up's visit, from the second on (a reopened ticket is followed up again). */
    sequence: z.number().int().min(2).optional(),
  }),
  output: z.object({ sent: z.boolean(), to: z.string(), duplicate: z.boolean() }),
  async run(input, ctx) {
    const to = input.customer.email ?? `customer:${input.customer.id}`;
    const lines = input.transcript.map((entry) => `[${new Date(entry.at).toISOString()}] ${entry.from}: ${entry.text}`);
    const body = [
      `Hello${input.customer.name ? ` ${input.customer.name}` : ''},`,
      '',
      'here is the transcript of your conversation with us.',
      '',
      ...lines,
    ].join('\n');
    // Through the configured outbound channel (log, webhook or SMTP: workers/worker/src/channels).
    const { created } = await deliverOutbound(ctx, {
      idempotencyKey: `transcript:${input.conversationId}${input.sequence ? `:${input.sequence}` : ''}`,
      conversationId: input.conversationId,
      to,
      subject: 'Your conversation transcript',
      body,
    });
    return { sent: true, to, duplicate: !created };
  },
});

/** `baton.recordSurvey`: CES / CSAT answers, once per conversation (core/steps/followup.ts). */
export const recordSurveyActivity = defineActivity({
  name: 'baton.recordSurvey',
  description: "Stores the customer's survey answers (CES 1–7, CSAT 1–5), once per conversation.",
  builtin: true,
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
  async run(input, ctx) {
    const journey = {
      id: input.journey.id,
      version: input.journey.version,
      ...(input.journey.hash !== undefined && { hash: input.journey.hash }),
    };
    const { created } = await ctx.store.recordSurvey({ ...input, journey });
    return { recorded: true, created };
  },
});

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

function saveConversationDefinition(name: 'baton.finishConversation' | 'baton.saveConversation', description: string) {
  return defineActivity({
    name,
    description,
    builtin: true,
    timeoutSeconds: 30,
    input: SaveConversationInput,
    output: z.object({ saved: z.boolean() }),
    async run(input, ctx) {
      const view = input.conversation ?? input.state;
      if (!view) throw new Error('no conversation given');
      // Validated above where the store reads it; the remaining fields are the interpreter's own.
      const snapshot = {
        ...view,
        ...(input.updatedAt !== undefined && { updatedAt: input.updatedAt }),
      } as unknown as ConversationSnapshot;
      const { written } = await ctx.store.saveConversation(snapshot);
      return { saved: written };
    },
  });
}

/** `baton.finishConversation`: the workflow's last word, the final projection of the conversation. */
export const finishConversationActivity = saveConversationDefinition(
  'baton.finishConversation',
  'Stores the final state of a conversation that ended (called by the workflow, not from a journey).',
);

/** `baton.saveConversation`: a projection of a running conversation for lists and metrics. */
export const saveConversationActivity = saveConversationDefinition(
  'baton.saveConversation',
  'Stores the current state of a conversation for the inbox, lists and metrics (never replaces a newer one).',
);

export const builtinActivities: ActivityDefinition[] = [
  classifyActivity,
  openTicketActivity,
  sendTranscriptActivity,
  recordSurveyActivity,
  finishConversationActivity,
  saveConversationActivity,
  ...routingActivities,
];
