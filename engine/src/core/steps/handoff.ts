import { handoffPacket } from '../packet';
import type { NodeStep, Run } from '../run';

const ticketRetry = { maximumAttempts: 1000, initialIntervalSeconds: 1, backoffCoefficient: 2, maximumIntervalSeconds: 60 };

function nodeLabels(run: Run): Map<string, string> {
  const labels = new Map<string, string>();
  for (const node of Object.values(run.journey.nodes)) {
    const label = (node.data as { label?: unknown }).label;
    if (typeof label === 'string' && label) labels.set(node.id, label);
  }
  return labels;
}

export const handoffStep: NodeStep<'handoff'> = {
  enter(run, node) {
    const state = run.state;
    const handoff = {
      // One ticket per handoff visit, named so that a retried activity opens the same ticket.
      ticketId: `${state.conversationId}-${state.handoffs.length + 1}`,
      nodeId: node.id,
      queue: node.data.queue,
      priority: node.data.priority,
      reason: run.render(node.data.reason),
      openedAt: run.at,
    };
    state.handoffs.push(handoff);
    run.say(run.render(node.data.message));
    const packet = handoffPacket(state, handoff, nodeLabels(run));
    return run.call(node.id, 'baton.openTicket', packet, { timeoutSeconds: 30, retry: ticketRetry }, 'open_ticket');
  },
  resume(run, node, event) {
    const handoff = run.state.handoffs[run.state.handoffs.length - 1];
    if (!handoff) return undefined;
    switch (event.type) {
      case 'activity_result':
        if (!event.ok) {
          run.note(`the ticket could not be opened: ${event.error}`);
          return { go: 'timeout' };
        }
        run.note(`ticket ${handoff.ticketId} opened in ${handoff.queue}`);
        return { wait: { kind: 'agent', nodeId: node.id, ticketId: handoff.ticketId, until: run.at + node.data.timeoutSeconds * 1000 } };
      case 'agent_claimed':
        // A retried claim by the same agent changes nothing.
        if (handoff.claimedBy?.id === event.agent.id) return undefined;
        handoff.claimedBy = event.agent;
        handoff.claimedAt = event.at;
        run.say(run.render(node.data.claimedMessage), 'bot');
        // Once a person owns it, the queue timeout no longer applies.
        return { wait: { kind: 'agent', nodeId: node.id, ticketId: handoff.ticketId, until: null } };
      case 'agent_message':
        run.say(event.text, 'agent', { agent: event.agent, clientMessageId: event.clientMessageId });
        return undefined;
      case 'ticket_resolved':
        handoff.resolvedAt = event.at;
        if (event.resolution) handoff.resolution = event.resolution;
        run.note(`resolved by ${event.agent.name}`);
        return { go: 'resolved' };
      case 'timeout':
        run.note('no agent claimed the ticket in time');
        return { go: 'timeout' };
      default:
        return undefined;
    }
  },
};
