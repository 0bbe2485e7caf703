/**
 * What an Update changed in a conversation's view, small enough to travel with its answer: the view
 * without its transcript and path, and only the entries of those two added (or, for the path's last
 * step, annotated) since the Update began. Every answer stays in the workflow's history, so a whole
 * view per message made a long conversation's history grow with the square of its length; the API
 * rebuilds the whole view from the read model it already holds and these changes.
 *
 * Sound because the transcript only grows and of the path only the last step changes once written
 * (`Run.note` annotates the current step; a migration annotates the last one).
 */
import type { ConversationState } from './types';
import { conversationView, type ConversationView } from './view';

/** Where the view's lists stood when an Update began. */
export interface ViewLengths {
  transcript: number;
  path: number;
}

export interface ConversationViewChanges {
  /** The lengths the changes start from: the base view must have at least these. */
  since: ViewLengths;
  /** The view without its transcript and path. */
  rest: Omit<ConversationView, 'transcript' | 'path'>;
  /** The transcript entries from index `since.transcript` on. */
  transcript: ConversationView['transcript'];
  /** The path steps from index `since.path - 1` on (the last step may have been annotated since). */
  path: ConversationView['path'];
}

export function viewLengths(view: Pick<ConversationView, 'transcript' | 'path'>): ViewLengths {
  return { transcript: view.transcript.length, path: view.path.length };
}

/** The changes since `since` (lengths taken when the Update began). */
export function viewChanges(state: ConversationState, since: ViewLengths): ConversationViewChanges {
  const { transcript, path, ...rest } = conversationView(state);
  return {
    since,
    rest,
    transcript: transcript.slice(since.transcript),
    path: path.slice(Math.max(0, since.path - 1)),
  };
}

/**
 * The whole view the changes end at, from `base` (a stored projection of the same conversation that
 * has at least the lengths the changes start from: one as old as the Update's start, or newer, as a
 * worker's projection written meanwhile can be), or undefined when `base` is older: the caller then
 * asks the workflow. What `base` has past those lengths is not used: the changes say what followed.
 */
export function applyViewChanges(
  base: Pick<ConversationView, 'conversationId' | 'transcript' | 'path'>,
  changes: ConversationViewChanges,
): ConversationView | undefined {
  const { since } = changes;
  if (base.conversationId !== changes.rest.conversationId) return undefined;
  if (base.transcript.length < since.transcript || base.path.length < since.path) return undefined;
  return {
    ...changes.rest,
    transcript: [...base.transcript.slice(0, since.transcript), ...changes.transcript],
    path: [...base.path.slice(0, Math.max(0, since.path - 1)), ...changes.path],
  };
}
