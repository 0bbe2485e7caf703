/**
 * The conversation ended at the customer's request (the `close` Update): the bot's last message is
 * added to the transcript and the conversation ends as abandoned, wherever it was waiting. Pure, so
 * the workflow stays deterministic.
 */
import type { ConversationState, TranscriptEntry } from '@baton/core/interpreter';

/** At most this many characters in a closing message. */
export const maxCloseMessageLength = 1000;

export function closedState(state: ConversationState, message: string, at: number): ConversationState {
  if (state.status === 'ended') return state;
  const entry: TranscriptEntry = {
    seq: state.transcript.length + 1,
    from: 'bot',
    text: message,
    at,
    ...(state.nodeId !== null && { nodeId: state.nodeId }),
  };
  return {
    ...state,
    transcript: [...state.transcript, entry],
    status: 'ended',
    outcome: 'abandoned',
    endedAt: at,
    waiting: null,
    background: null,
    clarifying: null,
  };
}
