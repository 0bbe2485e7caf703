import type { JsonValue } from '@baton/schemas';
import type { ConversationState, HandoffRecord } from './types';

/** The steps the conversation already walked through, in words, from its path: the agent never asks again. */
export function stepsTried(state: ConversationState, labels: ReadonlyMap<string, string>): string[] {
  const steps: string[] = [];
  for (const step of state.path) {
    if (step.type === 'start' || step.type === 'end' || step.type === 'handoff') continue;
    // A condition where no rule held decided nothing worth telling the agent.
    if (step.type === 'condition' && step.handle === 'else' && !step.note) continue;
    const label = labels.get(step.nodeId);
    if (!label && !step.note) continue;
    const what = label ?? `${step.type} ${step.nodeId}`;
    const how = [step.handle ? `→ ${step.handle}` : undefined, step.note].filter(Boolean).join(': ');
    steps.push(how ? `${what} ${how}` : what);
  }
  return steps;
}

function trend(history: readonly number[]): 'improving' | 'worsening' | 'steady' | 'unknown' {
  if (history.length < 2) return 'unknown';
  const delta = (history[history.length - 1] as number) - (history[0] as number);
  if (delta <= -0.2) return 'worsening';
  if (delta >= 0.2) return 'improving';
  return 'steady';
}

/** Everything the agent needs, so the customer never repeats themselves. The summary is added by the ticket activity. */
export function handoffPacket(
  state: ConversationState,
  handoff: HandoffRecord,
  labels: ReadonlyMap<string, string>,
): { [key: string]: JsonValue } {
  return {
    ticketId: handoff.ticketId,
    conversationId: state.conversationId,
    journey: { id: state.journey.id, version: state.journey.version },
    channel: state.channel,
    queue: handoff.queue,
    priority: handoff.priority,
    reason: handoff.reason,
    customer: state.customer,
    // What the customer came for, not the last yes/no answer a later classify heard.
    intent: state.need ? { name: state.need.name, confidence: state.need.confidence } : state.intent,
    sentiment: {
      score: state.sentiment.score,
      label: state.sentiment.label,
      history: state.sentiment.history,
      trend: trend(state.sentiment.history),
    },
    stepsTried: stepsTried(state, labels),
    variables: state.vars,
    counters: {
      turns: state.counters.turns,
      failures: state.counters.failures,
      lowConfidence: state.counters.lowConfidence,
    },
    transcript: state.transcript.map((entry) => ({ seq: entry.seq, from: entry.from, text: entry.text, at: entry.at })),
    openedAt: handoff.openedAt,
  };
}
