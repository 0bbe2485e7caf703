/** The inbox's calls, all through `call` (auth headers, problem+json errors). */
import type { Agent, ConversationView, HandoffTicket, InboxList } from '@baton/schemas';
import { auth, call } from '../api';

/** The answers' contracts are @baton/schemas' (views.ts), shared with the server that sends them. */
export type { Customer, InboxItem, InboxList, TranscriptEntry } from '@baton/schemas';
export type AgentRef = Agent;
/** A ticket with its handoff packet (GET /api/tickets/:id). */
export type Ticket = HandoffTicket;
/** A conversation as staff read it (GET /api/conversations/:id). */
export type Conversation = ConversationView;

export interface Note {
  noteId: string;
  text: string;
  agentId: string;
  agentName: string;
  at: string;
}

export interface TicketView {
  ticket: Ticket;
  conversation: Conversation | null;
  notes: Note[];
  feedback: { agentId: string; summaryHelpful: boolean; pulse: number | null }[];
  correction: { intent: string; previousIntent: string | null } | null;
  intents: { nodeId: string; label: string; intents: string[] }[];
  /** The conversation's workflow in the Temporal UI, when the API knows where that runs. */
  temporalUrl?: string;
}

export interface AssistAnswer {
  question: string;
  sources: { articleId: string; title: string; snippet: string; score: number }[];
  /** Internal articles (agents' procedures) that match: for the agent only, never for the reply. */
  internalGuidance?: { articleId: string; title: string; snippet: string }[];
  answer: string | null;
  suggestedReply: string | null;
  basedOn: string | null;
  provider: string;
}

const enc = encodeURIComponent;

/** A canned response as GET /api/canned-responses lists it. */
export interface CannedResponseRecord {
  id: string;
  title: string;
  text: string;
  updatedAt: number;
  updatedBy?: string;
}

export const inboxApi = {
  /** The signed-in user, as the sign-in gate knows them; null when access control is off (then the page asks for a name). */
  me: (): AgentRef | null => {
    const user = auth.current();
    return user && user.userId !== 'open' ? { id: user.userId, name: user.name } : null;
  },
  items: (filters: { status?: string; queue?: string; assignee?: string }) => {
    const query = new URLSearchParams(
      Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])),
    );
    const text = query.toString();
    return call<InboxList>('GET', `/inbox/items${text ? `?${text}` : ''}`);
  },
  ticket: (id: string) => call<TicketView>('GET', `/tickets/${enc(id)}`),
  conversation: (id: string) =>
    call<{ conversation: Conversation }>('GET', `/conversations/${enc(id)}`).then((r) => r.conversation),
  claim: (id: string, agent: AgentRef) => call<unknown>('POST', `/tickets/${enc(id)}/claim`, { agent }),
  /** An admin takes a ticket claimed by someone else (the audit log records it). */
  takeOver: (id: string, agent: AgentRef) =>
    call<unknown>('POST', `/tickets/${enc(id)}/claim`, { agent, takeover: true }),
  reply: (id: string, agent: AgentRef, text: string, clientMessageId: string) =>
    call<unknown>('POST', `/tickets/${enc(id)}/messages`, { agent, text, clientMessageId }),
  resolve: (id: string, agent: AgentRef, resolution?: string) =>
    call<unknown>('POST', `/tickets/${enc(id)}/resolve`, { agent, ...(resolution ? { resolution } : {}) }),
  note: (id: string, agent: AgentRef, text: string) =>
    call<{ notes: Note[] }>('POST', `/tickets/${enc(id)}/notes`, { agent, text }),
  assist: (id: string, question?: string) =>
    call<AssistAnswer>('POST', `/tickets/${enc(id)}/assist`, question ? { question } : {}),
  feedback: (id: string, agent: AgentRef, summaryHelpful: boolean, pulse?: number) =>
    call<unknown>('POST', `/tickets/${enc(id)}/feedback`, { agent, summaryHelpful, ...(pulse ? { pulse } : {}) }),
  cannedResponses: () =>
    call<{ responses: CannedResponseRecord[] }>('GET', '/canned-responses').then((r) => r.responses),
  /** The agent is typing a reply (or stopped): the customer's widget shows it; nothing is recorded. */
  typing: (id: string, agent: AgentRef, typing: boolean) =>
    call<unknown>('POST', `/tickets/${enc(id)}/typing`, { agent, typing }),
  correctIntent: (id: string, agent: AgentRef, intent: string) =>
    call<unknown>('POST', `/tickets/${enc(id)}/intent`, { agent, intent }),
};
