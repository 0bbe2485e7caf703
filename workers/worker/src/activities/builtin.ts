/**
 * Baton's built-in activities, called by the interpreter's node steps (engine/core/src/kinds/<kind>/step.ts) and
 * by the workflow: the implementations of the contracts in @baton/schemas (builtin-activities.ts), which
 * mirror exactly what the core sends.
 */
import {
  finishConversationContract,
  HandoffPacket,
  openTicketContract,
  recordSurveyContract,
  redactSecrets,
  saveConversationContract,
  scrubText,
  secretTexts,
  secretVariablePaths,
  sendTranscriptContract,
} from '@baton/schemas';
import type { ConversationSnapshot, Store } from '@baton/store';
import { defineActivity, type ActivityDefinition } from '@baton/activity-sdk';
import type { z } from 'zod';
import { answerActivity } from './answer';
import { classifyActivity } from './classify';
import { deliverOutbound, routingActivities } from './routing';
import { summaryOf, summaryTimeoutMs } from './summary';

/** `baton.classify` lives in ./classify.ts (with the agents' corrections); registered here with the other built-ins. */
export { classifyActivity };
/** `baton.answer` lives in ./answer.ts (the knowledge base's index). */
export { answerActivity };

/** The handoff packet of core/packet.ts (the contract lives in @baton/schemas). */
export { HandoffPacket };

/**
 * The packet with the secrets of its journey's activity outputs hidden (schemas' secrets.ts): its
 * variables read "[secret]", and the steps tried (which quote activity outputs) and the transcript
 * lose the values, before the ticket is stored or the model reads it.
 */
async function withoutSecrets(
  packet: z.output<typeof HandoffPacket>,
  store: Pick<Store, 'getVersion' | 'listActivities'>,
) {
  const [version, activities] = await Promise.all([
    store.getVersion(packet.journey.id, packet.journey.version),
    store.listActivities(),
  ]);
  if (!version) return packet;
  const secrets = secretVariablePaths(
    version.compiled,
    new Map(activities.map((activity) => [activity.name, activity])),
  );
  if (secrets.length === 0) return packet;
  const texts = secretTexts(packet.variables, secrets);
  return {
    ...packet,
    variables: redactSecrets(packet.variables, secrets),
    stepsTried: packet.stepsTried.map((step) => scrubText(step, texts)),
    transcript: packet.transcript.map((entry) => ({ ...entry, text: scrubText(entry.text, texts) })),
  };
}

/** `baton.openTicket`: the handoff's ticket, with an AI summary; idempotent on ticketId (core/steps/handoff.ts). */
export const openTicketActivity = defineActivity({
  ...openTicketContract,
  builtin: true,
  async run(input, ctx) {
    // A retry of an open that succeeded changes nothing (and asks the model nothing).
    const existing = await ctx.store.getTicket(input.ticketId);
    if (existing)
      return { ticketId: existing.ticketId, status: existing.status, created: false, summary: existing.summary };
    const packet = await withoutSecrets(input, ctx.store);
    const timeoutMs = summaryTimeoutMs(ctx.ai.name);
    const { summary, fallback } = await summaryOf(
      packet.transcript,
      (lines) => ctx.ai.summarize(lines, { timeoutMs }),
      {
        providerName: ctx.ai.name,
        timeoutMs,
        warn: (message) => ctx.log.warn(message),
      },
    );
    // A summary that fell back says why on the ticket (`summaryFallback`), not only in the log.
    const { ticket, created } = await ctx.store.openTicket({
      ...packet,
      summary,
      ...(fallback !== undefined && { summaryFallback: fallback }),
    });
    if (created) ctx.log.info(`ticket ${ticket.ticketId} opened in ${ticket.queue} (${ticket.priority})`);
    return { ticketId: ticket.ticketId, status: ticket.status, created, summary: ticket.summary };
  },
});

/** `baton.sendTranscript`: the transcript to the customer through the outbound channel (core/steps/followup.ts). */
export const sendTranscriptActivity = defineActivity({
  ...sendTranscriptContract,
  builtin: true,
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
  ...recordSurveyContract,
  builtin: true,
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

function saveConversationDefinition(contract: typeof finishConversationContract | typeof saveConversationContract) {
  return defineActivity({
    ...contract,
    builtin: true,
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
export const finishConversationActivity = saveConversationDefinition(finishConversationContract);

/** `baton.saveConversation`: a projection of a running conversation for lists and metrics. */
export const saveConversationActivity = saveConversationDefinition(saveConversationContract);

export const builtinActivities: ActivityDefinition[] = [
  classifyActivity,
  openTicketActivity,
  sendTranscriptActivity,
  recordSurveyActivity,
  finishConversationActivity,
  saveConversationActivity,
  ...routingActivities,
  answerActivity,
];
