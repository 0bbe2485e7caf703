/** Helpers several routes files share: path parameters, the ticket of a route, the conversation view answered. */
import type { Request } from 'express';
import { z } from 'zod';
import { applyViewChanges, type ConversationViewChanges } from '@baton/core/interpreter';
import { Id } from '@baton/schemas';
import type { Store, Ticket } from '@baton/store';
import type { Conversations, ConversationView } from '../../client';
import { HttpProblem, parseOrThrow } from '../problem';

export type Log = (message: string, error?: unknown) => void;

/** A path parameter that names a record (`:id`, `:queueId`…). */
export function idParam(req: Request, name = 'id', what?: string): string {
  return parseOrThrow(Id, req.params[name], `path parameter "${name}"${what ? ` (${what})` : ''}`);
}

export const VersionParam = z.coerce.number().int().positive();

/** A ticket as other parts of Baton may extend it (routing adds reopening). */
export type InboxTicket = Ticket & { reopened?: boolean | number; reopenedAt?: number | null; notes?: unknown };

/**
 * The ticket named by the route's `:id`, else 404. `what` labels the parameter in a 400: the
 * claim, reply and resolve routes have always said plain `path parameter "id"`, the others add "(ticket id)".
 */
export async function ticketOf(store: Store, req: Request, what?: string): Promise<InboxTicket> {
  const id = idParam(req, 'id', what);
  const ticket = await store.getTicket(id);
  if (!ticket) throw new HttpProblem(404, 'Ticket not found', `no ticket "${id}"`);
  return ticket;
}

export interface ConversationViewsOptions {
  store: Store;
  conversations: Conversations;
  log: Log;
  /** Link to a conversation in the Temporal UI, when one runs. */
  temporalUiUrl?: (conversationId: string) => string | undefined;
}

/** How conversation and ticket routes answer a conversation: with its Temporal link, after projecting it for lists. */
export function conversationViews(options: ConversationViewsOptions) {
  const { store, conversations, log } = options;
  const withLink = (view: ConversationView) => ({
    conversation: view,
    temporalUrl: options.temporalUiUrl?.(view.conversationId),
  });
  /**
   * The API's every write of the conversations' read model (after a start, a message, a survey, an
   * agent's action, a migration) goes through the store's one projection, `saveConversation`: the
   * worker's does too. The read model is not the truth: losing one write only delays what lists show.
   */
  const project = async (view: ConversationView) => {
    try {
      await store.saveConversation(view);
    } catch (error) {
      log(`could not project conversation ${view.conversationId}`, error);
    }
  };
  /** The full conversation, read from the workflow, projected for lists, and answered. */
  const freshView = async (conversationId: string) => {
    const view = await conversations.get(conversationId);
    await project(view);
    return view;
  };
  /**
   * The view an Update's answer leads to, projected: the whole view (a worker built before changes
   * were answered), else the changes applied to the stored projection, else the workflow asked (a
   * large answer, or a projection not where the changes start).
   */
  const answeredView = async (
    conversationId: string,
    answer: { view?: ConversationView; changes?: ConversationViewChanges },
  ): Promise<ConversationView> => {
    if (answer.view) {
      await project(answer.view);
      return answer.view;
    }
    if (answer.changes) {
      const stored = await store.getConversation(conversationId).catch(() => null);
      const view = stored ? applyViewChanges(stored, answer.changes) : undefined;
      if (view) {
        await project(view);
        return view;
      }
    }
    return freshView(conversationId);
  };
  return { withLink, project, freshView, answeredView };
}

export type ConversationViews = ReturnType<typeof conversationViews>;
