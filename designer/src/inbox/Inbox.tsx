/**
 * The agents' shared inbox (`#/inbox`): bot and human conversations in one stream, the ticket with
 * its handoff packet, the actions (claim, reply, internal note, resolve), AI assist from the
 * knowledge base, and the agent's verdict on the handoff. Refreshes itself every few seconds; what
 * the agent types stays in the box until the server has taken it.
 *
 * This file holds the page and its state (who the agent is, the filters, the selection); the parts
 * are beside it: TicketList, TicketPane (Packet, Thread, Composer, AssistPanel), ConversationPane.
 * Keyboard: j/k move in the list, ? lists every shortcut (the ticket's own are in TicketPane).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { inboxApi, type AgentRef, type InboxItem, type InboxList } from './api';
import { storeAgent, storedAgent } from './agent';
import { AgentPicker } from './AgentPicker';
import { ConversationPane } from './ConversationPane';
import { typing } from './format';
import { Shortcuts } from './Shortcuts';
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
  const [seen, setSeen] = useState<Record<string, number>>(storedSeen);
  const markSeen = useCallback((item: InboxItem) => {
    const at = item.lastMessage?.at;
    if (at === undefined) return;
    setSeen((current) => {
      if ((current[item.id] ?? 0) >= at) return current;
      const next = { ...current, [item.id]: at };
      storeSeen(next);
      return next;
    });
  }, []);
  // What arrives on the open ticket is read as it arrives.
  useEffect(() => {
    const open = data?.items.find((item) => item.id === (selected?.id ?? linked));
    if (open) markSeen(open);
  }, [data, selected, linked, markSeen]);
  const shown = useRef<InboxItem[]>([]);
  const onOrder = useCallback((items: InboxItem[]) => {
    shown.current = items;
  }, []);
  const [help, setHelp] = useState(false);
  const select = (item: InboxItem) => {
    markSeen(item);
    setSelected(item);
    setLinked(null);
    // The address names the ticket, so it can be shared; replaceState fires no hashchange.
    history.replaceState(null, '', item.ticketId ? `#/inbox?ticket=${encodeURIComponent(item.ticketId)}` : '#/inbox');
  };
  const selectRef = useRef(select);
  selectRef.current = select;
  const currentId = selected?.id ?? linked;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (event.key === '?') {
        event.preventDefault();
        setHelp((open) => !open);
      } else if (event.key === 'Escape') setHelp(false);
      else if (event.key === 'j' || event.key === 'k') {
        const items = shown.current;
        if (items.length === 0) return;
        const at = items.findIndex((item) => item.id === currentId);
        const next = at === -1 ? 0 : Math.min(items.length - 1, Math.max(0, at + (event.key === 'j' ? 1 : -1)));
        const item = items[next];
        if (!item) return;
        event.preventDefault();
        selectRef.current(item);
        document.querySelector(`.ib-item[data-id="${CSS.escape(item.id)}"]`)?.scrollIntoView?.({ block: 'nearest' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [currentId]);
  return (
    <div className="ib">
      <header className="ib-top">
        <h1>Baton · Inbox</h1>
        <nav>
          <a href="#/">Journeys</a> · <a href="#/kb">Knowledge base</a>
        </nav>
        <span className="ib-spacer" />
        <button type="button" className="ib-keys" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          Shortcuts <kbd>?</kbd>
        </button>
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
          isSelected={(item) => currentId === item.id}
          onSelect={select}
          onOrder={onOrder}
          seen={seen}
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
      {help && <Shortcuts onClose={() => setHelp(false)} />}
    </div>
  );
}

const seenKey = 'baton.inbox.seen';

/** What this browser's agent has read: the newest message time per row. */
function storedSeen(): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(seenKey) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    );
  } catch {
    return {};
  }
}

function storeSeen(seen: Record<string, number>): void {
  // The newest 500 rows are plenty; older ones are long resolved.
  const kept = Object.entries(seen)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 500);
  localStorage.setItem(seenKey, JSON.stringify(Object.fromEntries(kept)));
}
