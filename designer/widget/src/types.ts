// What the widget reads from the Baton API and keeps in localStorage (types only: nothing of it is in the build).

export interface Entry {
  seq: number;
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  at: number;
  nodeId?: string;
  clientMessageId?: string;
  agent?: { id?: string; name: string };
  /** The bot's words at a handoff, as the customer view marks them: the transition, then an agent joining. */
  notice?: 'handoff' | 'joined';
  /** Choices the bot offers with this message (an ask with options, a clarifying question): shown as buttons. */
  quickReplies?: string[];
}

export interface Waiting {
  kind: 'reply' | 'activity' | 'agent' | 'timer' | 'survey';
  /** Staff views only: the customer view says the kind alone. */
  nodeId?: string;
  purpose?: string;
}

export interface StateEvent {
  status: 'active' | 'ended';
  nodeId?: string | null;
  waiting: Waiting | null;
  outcome?: string | null;
}

export interface ConversationView extends StateEvent {
  conversationId: string;
  transcript: Entry[];
  handoffs?: { nodeId: string; claimedBy?: { name: string } }[];
  survey?: { ces?: number; csat?: number } | null;
  /** The customer view's word for an answered survey. */
  surveyed?: boolean;
}

export interface Saved {
  conversationId: string;
  token?: string;
  open?: boolean;
  /** A message that was typed and sent but not confirmed: its text comes back to the input after a reload. */
  pending?: { clientMessageId: string; text: string };
  surveyed?: boolean;
}
