import type { JsonValue } from '@baton/schemas';
import { builtinActivityNames } from '@baton/schemas/builtin-activity-names';
import { handoffPacket } from '../../interpreter/packet';
import { ruleHolds } from '../../interpreter/rules';
import type { CompiledNodeOfKind, NodeStep, Run, Transition } from '../../interpreter/run';
import type { HandoffEvent, HandoffRecord, SlaTimer } from '../../interpreter/types';

const ticketRetry = {
  maximumAttempts: 1000,
  initialIntervalSeconds: 1,
  backoffCoefficient: 2,
  maximumIntervalSeconds: 60,
};
const routingRetry = {
  maximumAttempts: 20,
  initialIntervalSeconds: 1,
  backoffCoefficient: 2,
  maximumIntervalSeconds: 30,
};
const priorities = ['low', 'normal', 'high', 'urgent'];

type HandoffNode = CompiledNodeOfKind<'handoff'>;

function nodeLabels(run: Run): Map<string, string> {
  const labels = new Map<string, string>();
  for (const node of Object.values(run.journey.nodes)) {
    const label = (node.data as { label?: unknown }).label;
    if (typeof label === 'string' && label) labels.set(node.id, label);
  }
  return labels;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function record(handoff: HandoffRecord, at: number, type: HandoffEvent['type'], detail: string): void {
  handoff.events = [...(handoff.events ?? []), { at, type, detail }];
}

/** Routed tickets wait for their agent until the first of: nobody claimed in time, an SLA warning point. */
function waitForAgent(run: Run, node: HandoffNode, handoff: HandoffRecord): Transition {
  const deadlines: number[] = [];
  if (!handoff.claimedBy && handoff.claimDeadline !== undefined) deadlines.push(handoff.claimDeadline);
  for (const timer of [handoff.sla?.firstResponse, handoff.sla?.resolution]) {
    if (timer && !timer.met && !timer.warned) deadlines.push(timer.warnAt);
  }
  return {
    wait: {
      kind: 'agent',
      nodeId: node.id,
      ticketId: handoff.ticketId,
      until: deadlines.length ? Math.min(...deadlines) : null,
    },
  };
}

function slaTimer(start: number, seconds: JsonValue | undefined, warnAt: number): SlaTimer | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  return { dueAt: start + seconds * 1000, warnAt: start + Math.round(seconds * warnAt * 1000) };
}

/** Reads `baton.routeTicket`'s answer defensively; whatever is odd is left out, the ticket still waits for an agent. */
function applyRouting(run: Run, node: HandoffNode, handoff: HandoffRecord, output: JsonValue): void {
  handoff.claimDeadline = run.at + node.data.timeoutSeconds * 1000;
  if (!isObject(output)) return;
  if (typeof output.queue === 'string' && output.queue) handoff.queue = output.queue;
  if (typeof output.priority === 'string' && priorities.includes(output.priority)) handoff.priority = output.priority;
  const agent = output.agent;
  handoff.assignedTo =
    isObject(agent) && typeof agent.id === 'string' && typeof agent.name === 'string'
      ? { id: agent.id, name: agent.name }
      : null;
  let start = run.at;
  const outOfHours = output.outOfHours;
  if (isObject(outOfHours) && typeof outOfHours.message === 'string') {
    run.say(outOfHours.message);
    record(handoff, run.at, 'out_of_hours', outOfHours.message);
    // SLA clocks run from the opening, not during closed hours.
    if (typeof outOfHours.opensAt === 'number' && outOfHours.opensAt > start) start = outOfHours.opensAt;
  }
  const sla = output.sla;
  if (isObject(sla)) {
    const warnAt = typeof sla.warnAt === 'number' && sla.warnAt > 0 && sla.warnAt < 1 ? sla.warnAt : 0.8;
    const firstResponse = slaTimer(start, sla.firstResponseSeconds, warnAt);
    const resolution = slaTimer(start, sla.resolutionSeconds, warnAt);
    if (firstResponse || resolution)
      handoff.sla = { ...(firstResponse && { firstResponse }), ...(resolution && { resolution }) };
  }
  const who = handoff.assignedTo ? `assigned to ${handoff.assignedTo.name}` : 'no agent free, left in the queue';
  record(handoff, run.at, 'assigned', `${handoff.queue} (${handoff.priority}): ${who}`);
  run.note(`routed to ${handoff.queue} (${handoff.priority}), ${who}`);
}

/** Leaves the node, first giving back the assigned agent's slot (routed tickets only). */
function leave(run: Run, node: HandoffNode, handoff: HandoffRecord, handle: 'resolved' | 'timeout'): Transition {
  if (!handoff.assignedTo) return { go: handle };
  handoff.leaving = handle;
  return run.call(
    node.id,
    builtinActivityNames.releaseAgent,
    { ticketId: handoff.ticketId, agentId: handoff.assignedTo.id },
    { timeoutSeconds: 30, retry: routingRetry },
    'release_agent',
  );
}

function escalateDueSla(run: Run, node: HandoffNode, handoff: HandoffRecord): void {
  const due: string[] = [];
  const timers: [string, SlaTimer | undefined][] = [
    ['first_response', handoff.sla?.firstResponse],
    ['resolution', handoff.sla?.resolution],
  ];
  for (const [name, timer] of timers) {
    if (timer && !timer.met && !timer.warned && run.at >= timer.warnAt) {
      timer.warned = true;
      due.push(name);
    }
  }
  if (due.length === 0 || run.state.background) return;
  run.callInBackground(
    node.id,
    builtinActivityNames.slaEscalate,
    {
      ticketId: handoff.ticketId,
      conversationId: run.state.conversationId,
      queue: handoff.queue,
      priority: handoff.priority,
      targets: due,
      at: run.at,
    },
    { timeoutSeconds: 30, retry: routingRetry },
    'sla_escalate',
  );
}

function applyEscalation(run: Run, handoff: HandoffRecord, output: JsonValue, ok: boolean, error?: string): void {
  if (!ok || !isObject(output)) {
    run.note(`SLA escalation failed: ${error ?? 'no answer'}`);
    return;
  }
  const before = `${handoff.queue} (${handoff.priority})`;
  if (typeof output.queue === 'string' && output.queue) handoff.queue = output.queue;
  if (typeof output.priority === 'string' && priorities.includes(output.priority)) handoff.priority = output.priority;
  const targets = Array.isArray(output.targets)
    ? output.targets.filter((t): t is string => typeof t === 'string').join(', ')
    : 'SLA';
  const detail = `${targets} near breach: ${before} → ${handoff.queue} (${handoff.priority})`;
  record(handoff, run.at, 'sla_escalated', detail);
  run.note(detail);
}

/**
 * A customer wrote after the ticket was resolved and the follow-up led back here (`reopened`):
 * the same ticket opens again, with the same agent, instead of a new one.
 */
function reopenTicket(run: Run, node: HandoffNode, handoff: HandoffRecord): Transition {
  const state = run.state;
  handoff.reopened = (handoff.reopened ?? 0) + 1;
  delete handoff.reopenRequested;
  delete handoff.resolvedAt;
  delete handoff.resolution;
  delete handoff.leaving;
  if (handoff.sla?.resolution) handoff.sla.resolution.met = false;
  // Resolved without a claim: the reopened ticket waits for one again, for the node's full time.
  if (!handoff.claimedBy) handoff.claimDeadline = run.at + node.data.timeoutSeconds * 1000;
  record(handoff, run.at, 'reopened', `reopened by the customer (${handoff.reopened})`);
  run.note(`ticket ${handoff.ticketId} reopened by the customer`);
  return run.call(
    node.id,
    builtinActivityNames.reopenTicket,
    { ticketId: handoff.ticketId, conversationId: state.conversationId, text: state.lastMessage, at: run.at },
    { timeoutSeconds: 30, retry: routingRetry },
    'reopen_ticket',
  );
}

export const handoffStep: NodeStep<'handoff'> = {
  enter(run, node) {
    const state = run.state;
    const last = state.handoffs[state.handoffs.length - 1];
    if (last?.reopenRequested) {
      if (last.nodeId === node.id) return reopenTicket(run, node, last);
      // The follow-up led to another handoff: that one opens a ticket of its own.
      delete last.reopenRequested;
    }
    let queue = node.data.queue;
    let priority: string = node.data.priority;
    let routedBy: number | undefined;
    // Rule first: the first routing rule that holds names the queue (and maybe the priority).
    const routes = node.data.routing?.rules ?? [];
    const context = routes.length ? run.context() : {};
    for (const [index, route] of routes.entries()) {
      if (!ruleHolds(route.when, context)) continue;
      queue = route.queue;
      if (route.priority) priority = route.priority;
      routedBy = index;
      break;
    }
    const handoff: HandoffRecord = {
      // One ticket per handoff visit, named so that a retried activity opens the same ticket.
      ticketId: `${state.conversationId}-${state.handoffs.length + 1}`,
      nodeId: node.id,
      queue,
      priority,
      reason: run.render(node.data.reason),
      openedAt: run.at,
    };
    state.handoffs.push(handoff);
    if (routedBy !== undefined) run.note(`routing rule ${routedBy + 1} chose ${queue}`);
    run.say(run.render(node.data.message));
    const packet = handoffPacket(state, handoff, nodeLabels(run));
    return run.call(
      node.id,
      builtinActivityNames.openTicket,
      packet,
      { timeoutSeconds: 30, retry: ticketRetry },
      'open_ticket',
    );
  },
  resume(run, node, event) {
    const state = run.state;
    const handoff = state.handoffs[state.handoffs.length - 1];
    if (!handoff) return undefined;
    const routed = node.data.routing !== undefined;
    switch (event.type) {
      case 'activity_result': {
        if (state.background?.callId === event.callId) {
          state.background = null;
          applyEscalation(run, handoff, event.ok ? event.output : null, event.ok, event.ok ? undefined : event.error);
          return undefined;
        }
        const purpose = state.waiting?.kind === 'activity' ? state.waiting.purpose : undefined;
        if (purpose === 'route_ticket') {
          if (event.ok) applyRouting(run, node, handoff, event.output);
          else {
            // Routing is a help, not a gate: the ticket waits in its queue for anyone to claim.
            handoff.claimDeadline = run.at + node.data.timeoutSeconds * 1000;
            run.note(`routing failed, the ticket waits in ${handoff.queue}: ${event.error}`);
          }
          return waitForAgent(run, node, handoff);
        }
        if (purpose === 'reopen_ticket') {
          if (!event.ok) run.note(`the ticket could not be reopened in the inbox: ${event.error}`);
          return waitForAgent(run, node, handoff);
        }
        if (purpose === 'release_agent') {
          if (event.ok) record(handoff, run.at, 'released', `${handoff.assignedTo?.name ?? 'agent'}'s slot freed`);
          return { go: handoff.leaving ?? 'resolved' };
        }
        if (!event.ok) {
          run.note(`the ticket could not be opened: ${event.error}`);
          return { go: 'timeout' };
        }
        run.note(`ticket ${handoff.ticketId} opened in ${handoff.queue}`);
        if (routed) {
          return run.call(
            node.id,
            builtinActivityNames.routeTicket,
            {
              ticketId: handoff.ticketId,
              conversationId: state.conversationId,
              queue: handoff.queue,
              priority: handoff.priority,
              skills: node.data.routing?.skills ?? [],
              customer: state.customer,
              at: run.at,
            },
            { timeoutSeconds: 30, retry: routingRetry },
            'route_ticket',
          );
        }
        return {
          wait: {
            kind: 'agent',
            nodeId: node.id,
            ticketId: handoff.ticketId,
            until: run.at + node.data.timeoutSeconds * 1000,
          },
        };
      }
      case 'agent_claimed':
        // A retried claim by the same agent changes nothing.
        if (handoff.claimedBy?.id === event.agent.id) return undefined;
        handoff.claimedBy = event.agent;
        handoff.claimedAt = event.at;
        run.say(run.render(node.data.claimedMessage), 'bot');
        if (routed) return waitForAgent(run, node, handoff);
        // Once a person owns it, the queue timeout no longer applies.
        return { wait: { kind: 'agent', nodeId: node.id, ticketId: handoff.ticketId, until: null } };
      case 'agent_message':
        run.say(event.text, 'agent', { agent: event.agent, clientMessageId: event.clientMessageId });
        if (routed && handoff.sla?.firstResponse && !handoff.sla.firstResponse.met) {
          // Answered: the first-response timer is cancelled (the next wait no longer includes it).
          if (event.at > handoff.sla.firstResponse.dueAt) run.note('first response after the SLA target');
          handoff.sla.firstResponse.met = true;
          return waitForAgent(run, node, handoff);
        }
        return undefined;
      case 'ticket_resolved':
        handoff.resolvedAt = event.at;
        if (event.resolution) handoff.resolution = event.resolution;
        run.note(`resolved by ${event.agent.name}`);
        if (handoff.sla?.resolution) handoff.sla.resolution.met = true;
        if (handoff.sla?.firstResponse) handoff.sla.firstResponse.met = true;
        return leave(run, node, handoff, 'resolved');
      case 'timeout':
        if (!routed) {
          run.note('no agent claimed the ticket in time');
          return { go: 'timeout' };
        }
        if (!handoff.claimedBy && handoff.claimDeadline !== undefined && event.at >= handoff.claimDeadline) {
          run.note('no agent claimed the ticket in time');
          return leave(run, node, handoff, 'timeout');
        }
        escalateDueSla(run, node, handoff);
        return waitForAgent(run, node, handoff);
      default:
        return undefined;
    }
  },
};
