import type { CompiledJourney } from '@baton/schemas';
import { Conversation } from '@baton/test-support/fixtures/conversation';
import { compileOk, edge, journey, n, type RawJourney, type RawNode } from '@baton/test-support/fixtures/journeys';

/**
 * start → the node under test → one end node per handle (`to-<handle>`, whose outcome says which
 * handle was taken: resolved_by_bot for the first, abandoned for the others).
 */
export function around(
  subject: RawNode,
  handles: string[],
  variables: Record<string, unknown> = {},
): { journey: CompiledJourney; conversation: () => Conversation } {
  const ends = handles.map((handle, index) =>
    n.end(`to-${handle}`, index === 0 ? 'resolved_by_bot' : 'abandoned', `left by ${handle}`),
  );
  const compiled = compileOk(
    journey(
      [n.start(), subject, ...ends],
      [edge('start', 'next', subject.id), ...handles.map((handle) => edge(subject.id, handle, `to-${handle}`))],
      { variables: variables as RawJourney['variables'] },
    ),
  );
  return { journey: compiled, conversation: () => new Conversation(compiled) };
}

/** The handle the conversation left the node under test by. */
export function handleTaken(conversation: Conversation, nodeId: string): string | undefined {
  return conversation.state.path.find((step) => step.nodeId === nodeId)?.handle;
}
