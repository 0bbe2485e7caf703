import type { ConversationState } from '@baton/core/interpreter';
import type { ConversationRecord, ConversationSnapshot } from './types';

/**
 * The workflow time of the latest thing that happened in a conversation: when it ended, or its
 * latest transcript entry, path step or handoff event. Deterministic (no wall clock).
 */
export function lastActivityAt(
  state: Pick<ConversationState, 'startedAt' | 'endedAt' | 'transcript' | 'path'> &
    Partial<Pick<ConversationState, 'handoffs' | 'survey'>>,
): number {
  let at = state.startedAt;
  const see = (value: number | null | undefined) => {
    if (typeof value === 'number' && Number.isFinite(value) && value > at) at = value;
  };
  see(state.endedAt);
  for (const entry of state.transcript) see(entry.at);
  for (const step of state.path) see(step.at);
  for (const handoff of state.handoffs ?? []) {
    see(handoff.openedAt);
    see(handoff.claimedAt);
    see(handoff.resolvedAt);
  }
  see(state.survey?.at);
  return at;
}

/** The stored projection of a conversation's view (the interpreter's bookkeeping dropped, query fields added). */
export function conversationRecordOf(snapshot: ConversationSnapshot | ConversationState): ConversationRecord {
  const {
    updatedAt,
    messageIds: _ids,
    buffered: _buffered,
    calls: _calls,
    ...view
  } = snapshot as ConversationSnapshot & Partial<Pick<ConversationState, 'messageIds' | 'buffered' | 'calls'>>;
  return {
    ...view,
    journeyId: view.journey.id,
    version: view.journey.version,
    updatedAt: updatedAt ?? lastActivityAt(view),
  };
}
