import type { ConversationState } from './types';

/** What the API and the inbox show of a conversation: its state without the interpreter's bookkeeping. */
export type ConversationView = Omit<ConversationState, 'messageIds' | 'buffered' | 'calls'>;

export function conversationView(state: ConversationState): ConversationView {
  const { messageIds: _ids, buffered: _buffered, calls: _calls, ...view } = state;
  return view;
}
