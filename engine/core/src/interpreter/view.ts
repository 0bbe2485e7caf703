import type { ConversationState } from './types';

/** What the API and the inbox show of a conversation: its state without the interpreter's bookkeeping. */
export type ConversationView = Omit<ConversationState, 'messageIds' | 'buffered' | 'calls'>;

export function conversationView(state: ConversationState): ConversationView {
  const { messageIds: _ids, buffered: _buffered, calls: _calls, ...view } = state;
  return view;
}

/**
 * What an Update answers with: small and of constant size, since every Update result is stored in
 * the conversation's history (a whole transcript per message would grow it quadratically).
 */
export interface ConversationSummary {
  conversationId: string;
  journey: ConversationState['journey'];
  status: ConversationState['status'];
  nodeId: string | null;
  waiting: ConversationState['waiting'];
  outcome: ConversationState['outcome'];
  intent: ConversationState['intent'];
  sentiment: { score: number; label: ConversationState['sentiment']['label'] };
  handoff: ConversationState['handoffs'][number] | null;
  transcriptLength: number;
}

export function conversationSummary(state: ConversationState): ConversationSummary {
  return {
    conversationId: state.conversationId,
    journey: state.journey,
    status: state.status,
    nodeId: state.nodeId,
    waiting: state.waiting,
    outcome: state.outcome,
    intent: state.intent,
    sentiment: { score: state.sentiment.score, label: state.sentiment.label },
    handoff: state.handoffs[state.handoffs.length - 1] ?? null,
    transcriptLength: state.transcript.length,
  };
}
