import { builtinActivityNames as builtin, type JsonValue } from '@baton/schemas';
import type { TicketRecord } from './types';

/**
 * The one fake of Baton's built-in activities that both simulators use (`baton test` / `baton simulate`
 * and the designer's simulator): their real implementations need the inbox, the outbound channel or the
 * database, so they are answered in-process. `baton.classify` is not here: the simulators answer it with
 * fixed AI answers, the embedded provider or the designer's choice.
 */

/** What the fake reads and keeps across calls of one simulated conversation. */
export interface BuiltinFakeContext {
  /** The tickets opened so far (`baton.openTicket` adds one; `baton.reopenTicket` counts on it). */
  tickets: TicketRecord[];
  /** The node that made the call. */
  nodeId: string;
  /** The virtual clock (epoch ms). */
  at: number;
}

/**
 * `baton.answer` without a knowledge base (the CLI's simulator retrieves from the demo articles when
 * it has them): unsure, so the journey's `unsure` path runs; a test fakes `baton.answer` for the others.
 */
export function scriptedAnswer(): JsonValue {
  return {
    status: 'unsure',
    answer: null,
    article: null,
    score: 0,
    reasons: ['no knowledge base in this simulation: fake baton.answer in the test to answer'],
  };
}

/** Built-in activities the simulators answer themselves. */
export const fakedBuiltinNames: ReadonlySet<string> = new Set([
  builtin.openTicket,
  builtin.sendTranscript,
  builtin.recordSurvey,
  builtin.routeTicket,
  builtin.releaseAgent,
  builtin.reopenTicket,
  builtin.followupCheck,
]);

export function isFakedBuiltin(name: string): boolean {
  return fakedBuiltinNames.has(name);
}

/** The fake's answer to a built-in activity call; undefined for an activity it does not fake. */
export function fakeBuiltin(
  name: string,
  input: { [key: string]: JsonValue },
  context: BuiltinFakeContext,
): JsonValue | undefined {
  const { tickets } = context;
  switch (name) {
    case builtin.openTicket: {
      const ticketId = typeof input.ticketId === 'string' ? input.ticketId : `ticket-${tickets.length + 1}`;
      tickets.push({
        ticketId,
        nodeId: context.nodeId,
        queue: typeof input.queue === 'string' ? input.queue : '',
        priority: typeof input.priority === 'string' ? input.priority : '',
        reason: typeof input.reason === 'string' ? input.reason : '',
        packet: input,
        openedAt: context.at,
      });
      return { ticketId, opened: true };
    }
    case builtin.sendTranscript:
      return { sent: true, messages: Array.isArray(input.transcript) ? input.transcript.length : 0 };
    case builtin.recordSurvey:
      return { recorded: true };
    // Routing needs queue and agent configuration the simulation does not have: the ticket waits in
    // its queue, with no opening hours and no SLA (fake them in the test to try those paths).
    case builtin.routeTicket:
      return {
        queue: input.queue ?? '',
        priority: input.priority ?? 'normal',
        agent: null,
        outOfHours: null,
        sla: null,
      };
    case builtin.releaseAgent:
      return { released: false };
    case builtin.reopenTicket: {
      const ticket = tickets.find((t) => t.ticketId === input.ticketId);
      if (ticket) ticket.reopened = (ticket.reopened ?? 0) + 1;
      return { reopened: ticket !== undefined, status: ticket ? 'open' : null, count: ticket?.reopened ?? 0 };
    }
    case builtin.followupCheck:
      return { surveyAllowed: true, articles: [] };
    case builtin.answer:
      return scriptedAnswer();
    default:
      return undefined;
  }
}
