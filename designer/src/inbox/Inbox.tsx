/**
 * The agents' shared inbox (`#/inbox`): bot and human conversations in one stream, the ticket with
 * its handoff packet, the actions (claim, reply, internal note, resolve), AI assist from the
 * knowledge base, and the agent's verdict on the handoff. Refreshes itself every few seconds; what
 * the agent types stays in the box until the server has taken it.
 *
 * This file holds the page and its state (who the agent is, the filters, the selection); the parts
 * are beside it: TicketList, TicketPane (Packet, Thread, Composer, AssistPanel), ConversationPane.
 */
import { useEffect, useState } from 'react';
import { inboxApi, type AgentRef, type InboxItem, type InboxList } from './api';
import { storeAgent, storedAgent } from './agent';
import { AgentPicker } from './AgentPicker';
import { ConversationPane } from './ConversationPane';
import { TicketList, type ListFilter } from './TicketList';
import { TicketPane } from './TicketPane';
import { usePolling } from './usePolling';
import './inbox.css';

/** `#/inbox?ticket=ID` (links from the dashboard, or a copied address) opens that ticket. */
function linkedTicket(): string | null {
  return new URLSearchParams(location.hash.split('?')[1] ?? '').get('ticket');
}

export function Inbox() {
  const [linked, setLinked] = useState<string | null>(linkedTicket);
  useEffect(() => {
    const on = () => setLinked(linkedTicket());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const [signedIn] = useState(inboxApi.me);
  const fromSession = signedIn !== null;
  const [agent, setAgent] = useState<AgentRef | null>(() => signedIn ?? storedAgent());
  const [filter, setFilter] = useState<ListFilter>({ status: '', queue: '', assignee: '' });
  const [selected, setSelected] = useState<InboxItem | null>(null);
  const chooseAgent = (next: AgentRef) => {
    setAgent(next);
    storeAgent(next);
  };
  const { status, queue, assignee } = filter;
  const assigneeFilter = assignee === 'me' ? (agent?.id ?? '') : assignee;
  const { data, error, reload } = usePolling<InboxList>(
    () => inboxApi.items({ status, queue, assignee: assigneeFilter }),
    [status, queue, assigneeFilter],
  );
  // A bot conversation that was handed off meanwhile: follow it to its ticket.
  useEffect(() => {
    if (!selected || selected.ticketId) return;
    const escalated = data?.items.find((item) => item.conversationId === selected.conversationId && item.ticketId);
    if (escalated) setSelected(escalated);
  }, [data, selected]);
  const select = (item: InboxItem) => {
    setSelected(item);
    setLinked(null);
    // The address names the ticket, so it can be shared; replaceState fires no hashchange.
    history.replaceState(null, '', item.ticketId ? `#/inbox?ticket=${encodeURIComponent(item.ticketId)}` : '#/inbox');
  };
  return (
    <div className="ib">
      <header className="ib-top">
        <h1>Baton · Inbox</h1>
        <nav>
          <a href="#/">Journeys</a> · <a href="#/kb">Knowledge base</a>
        </nav>
        <span className="ib-spacer" />
        <AgentPicker agent={agent} onChange={chooseAgent} fromSession={fromSession} />
      </header>
      {error && (
        <div className="ib-banner error" role="alert">
          Cannot refresh the inbox: {error}
        </div>
      )}
      <div className="ib-main">
        <TicketList
          data={data}
          error={error}
          filter={filter}
          onFilter={(change) => setFilter((current) => ({ ...current, ...change }))}
          agent={agent}
          isSelected={(item) => (selected?.id ?? linked) === item.id}
          onSelect={select}
        />
        {!selected && !linked && <div className="ib-view ib-empty muted">Choose a conversation.</div>}
        {!selected && linked && <TicketPane key={linked} ticketId={linked} agent={agent} onChanged={reload} />}
        {selected?.ticketId && (
          <TicketPane key={selected.ticketId} ticketId={selected.ticketId} agent={agent} onChanged={reload} />
        )}
        {selected && !selected.ticketId && (
          <ConversationPane key={selected.conversationId} conversationId={selected.conversationId} />
        )}
      </div>
    </div>
  );
}
