/**
 * Routing and follow-up activities, called by the interpreter's handoff and follow-up steps
 * (engine/core/src/kinds/handoff/step.ts, kinds/followup/step.ts). Choices that read or change shared data
 * (which agent takes a ticket, whether a customer may be surveyed) happen here, never in the
 * deterministic workflow; each is one atomic store operation (engine/store/src/routing.ts).
 */
import {
  followupCheckContract,
  outOfHoursNotice,
  raisedPriority,
  releaseAgentContract,
  reopenTicketContract,
  routeTicketContract,
  slaEscalateContract,
  type QueueConfig,
} from '@baton/schemas';
import { RoutingStore } from '@baton/store';
import { defineActivity, type ActivityContext, type ActivityDefinition } from '@baton/activity-sdk';
import { channelFromEnv, type OutboundEnvelope } from '../channels';

function routingStore(ctx: ActivityContext): RoutingStore {
  return new RoutingStore(ctx.store);
}

/** `baton.routeTicket`: queue hours, SLA targets and the agent, for a ticket just opened. */
export const routeTicketActivity = defineActivity({
  ...routeTicketContract,
  builtin: true,
  async run(input, ctx) {
    const store = routingStore(ctx);
    const queue: QueueConfig | null = await store.getQueue(input.queue);
    const existing = await store.getTicketRouting(input.ticketId);
    let agent: { id: string; name: string } | null;
    if (existing && existing.assignedTo !== undefined) {
      // A retry after the assignment was recorded: answer the same agent.
      agent = existing.assignedTo ?? null;
    } else {
      // Idempotent per ticket: a retry takes no second slot.
      const chosen = await store.assignAgent({
        ticketId: input.ticketId,
        queue: input.queue,
        skills: input.skills,
        policy: queue?.assignment ?? 'least_loaded',
        at: input.at,
      });
      agent = chosen ? { id: chosen.id, name: chosen.name } : null;
      const detail = agent
        ? `assigned to ${agent.name} (${queue?.assignment ?? 'least_loaded'})`
        : 'no available agent with the skills; waits in the queue';
      await store.setTicketRouting(input.ticketId, {
        queue: input.queue,
        priority: input.priority,
        assignedTo: agent,
        event: { at: input.at, type: 'assigned', detail },
      });
      ctx.log.info(`ticket ${input.ticketId} in ${input.queue}: ${detail}`);
    }
    const outOfHours = queue ? outOfHoursNotice(queue, input.at) : null;
    const firstResponseMinutes = queue?.sla?.firstResponseMinutes[input.priority];
    const resolutionMinutes = queue?.sla?.resolutionMinutes[input.priority];
    const sla =
      queue?.sla && (firstResponseMinutes !== undefined || resolutionMinutes !== undefined)
        ? {
            firstResponseSeconds: firstResponseMinutes === undefined ? null : firstResponseMinutes * 60,
            resolutionSeconds: resolutionMinutes === undefined ? null : resolutionMinutes * 60,
            warnAt: queue.sla.warnAt,
          }
        : null;
    return { queue: input.queue, priority: input.priority, agent, outOfHours, sla };
  },
});

/** `baton.slaEscalate`: an SLA target is near breach; raise the priority and/or move the ticket to the overflow queue. */
export const slaEscalateActivity = defineActivity({
  ...slaEscalateContract,
  builtin: true,
  async run(input, ctx) {
    const store = routingStore(ctx);
    const sla = (await store.getQueue(input.queue))?.sla;
    const priority = sla?.raisePriority === false ? input.priority : raisedPriority(input.priority);
    const queue = sla?.overflowQueue ?? input.queue;
    const detail = `${input.targets.join(', ')} SLA near breach: ${input.queue} (${input.priority}) → ${queue} (${priority})`;
    await store.escalateTicket(input.ticketId, {
      queue,
      priority,
      event: { at: input.at, type: 'sla_escalated', detail },
    });
    ctx.log.warn(`ticket ${input.ticketId}: ${detail}`);
    return { queue, priority, targets: input.targets };
  },
});

/** `baton.releaseAgent`: the assigned agent's slot is free again (resolved, or nobody claimed). */
export const releaseAgentActivity = defineActivity({
  ...releaseAgentContract,
  builtin: true,
  async run(input, ctx) {
    return { released: await routingStore(ctx).releaseTicket(input.ticketId, Date.now()) };
  },
});

/** `baton.reopenTicket`: a customer replied after resolution. */
export const reopenTicketActivity = defineActivity({
  ...reopenTicketContract,
  builtin: true,
  async run(input, ctx) {
    const result = await routingStore(ctx).reopenTicket(input.ticketId, {
      at: input.at,
      type: 'reopened',
      detail: `the customer wrote: "${input.text.slice(0, 200)}"`,
    });
    if (result.reopened) ctx.log.info(`ticket ${input.ticketId} reopened (${result.count})`);
    return result;
  },
});

/** `baton.followupCheck`: whether this customer may be surveyed now, and related articles. */
export const followupCheckActivity = defineActivity({
  ...followupCheckContract,
  builtin: true,
  async run(input, ctx) {
    const store = routingStore(ctx);
    let surveyAllowed = true;
    let reason: string | undefined;
    if (input.surveyLimitDays !== undefined) {
      const since = input.at - input.surveyLimitDays * 86_400_000;
      const recent = await store.surveysSince(input.customerId, since, input.conversationId);
      if (recent > 0) {
        surveyAllowed = false;
        reason = `the customer answered a survey in the last ${input.surveyLimitDays} days`;
      }
    }
    const articles =
      input.relatedArticles && input.topic ? await store.relatedArticleTitles(input.topic.replaceAll('_', ' ')) : [];
    return { surveyAllowed, ...(reason !== undefined && { reason }), articles };
  },
});

/**
 * Sends one message through the configured outbound channel at most once per idempotency key:
 * the outbox is checked first and written after a successful send (a crash between the two may
 * send twice; receivers deduplicate on the key).
 */
export async function deliverOutbound(
  ctx: ActivityContext,
  message: OutboundEnvelope,
): Promise<{ created: boolean; channel: string }> {
  const channel = channelFromEnv();
  const already = await ctx.store.collection('outbox').findOne({ _id: message.idempotencyKey as unknown as never });
  if (already) return { created: false, channel: channel.name };
  const { detail } = await channel.send(message);
  const { created } = await ctx.store.recordOutbound({
    idempotencyKey: message.idempotencyKey,
    channel: channel.name,
    to: message.to,
    subject: message.subject,
    body: message.body,
  });
  ctx.log.info(`${message.subject} for ${message.conversationId} via ${channel.name}: ${detail}`);
  return { created, channel: channel.name };
}

export const routingActivities: ActivityDefinition[] = [
  routeTicketActivity,
  slaEscalateActivity,
  releaseAgentActivity,
  reopenTicketActivity,
  followupCheckActivity,
];
