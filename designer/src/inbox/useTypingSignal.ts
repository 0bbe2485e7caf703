import { useEffect, useRef } from 'react';
import { inboxApi, type AgentRef } from './api';

/** At most one "still typing" per this interval; the API keeps each for 6 s, so a pause longer than that ends it. */
const renewMs = 2_000;

/**
 * Tells the customer that the agent types a reply: while the reply draft changes and is not empty (nor
 * a `/` canned-response search), at most every two seconds; "stopped" when the draft empties (sent or
 * cleared), the box switches to a note, or the agent leaves the ticket. Failures are ignored: it is a hint.
 */
export function useTypingSignal(ticketId: string, agent: AgentRef | null, replying: boolean, draft: string): void {
  const lastSent = useRef(0);
  const typing = useRef(false);
  const agentId = agent?.id;
  const agentRef = useRef(agent);
  agentRef.current = agent;
  useEffect(() => {
    const who = agentRef.current;
    if (!replying || !who) return;
    const text = draft.trim();
    if (!text || text.startsWith('/')) {
      if (typing.current) {
        typing.current = false;
        lastSent.current = 0;
        inboxApi.typing(ticketId, who, false).catch(() => undefined);
      }
      return;
    }
    if (Date.now() - lastSent.current < renewMs) return;
    lastSent.current = Date.now();
    typing.current = true;
    inboxApi.typing(ticketId, who, true).catch(() => undefined);
  }, [draft, replying, ticketId, agentId]);
  // Leaving the ticket, the reply mode or the page: stopped.
  useEffect(
    () => () => {
      const who = agentRef.current;
      if (!typing.current || !who) return;
      typing.current = false;
      lastSent.current = 0;
      inboxApi.typing(ticketId, who, false).catch(() => undefined);
    },
    [replying, ticketId, agentId],
  );
}
