import { useEffect, useMemo, useRef, useState } from 'react';
import type { AgentRef, InboxItem, InboxList } from './api';
import { shortRef, span } from './format';
import { keepOrder, waitingSince } from './order';

const statuses = ['bot', 'pending', 'open', 'resolved', 'closed'] as const;

/** What the list shows: a status tab, a queue and an assignee ('' any, 'me' the agent, else an agent id). */
export interface ListFilter {
  status: string;
  queue: string;
  assignee: string;
}

/**
 * The left column: the status tabs with their counts, the queue and assignee filters, and the
 * conversations and tickets that match.
 */
export function TicketList({
  data,
  error,
  filter,
  onFilter,
  agent,
  isSelected,
  onSelect,
  onOrder,
  seen,
}: {
  data: InboxList | null;
  error: string | null;
  filter: ListFilter;
  onFilter: (change: Partial<ListFilter>) => void;
  agent: AgentRef | null;
  isSelected: (item: InboxItem) => boolean;
  onSelect: (item: InboxItem) => void;
  /** The rows in the order shown, for j/k. */
  onOrder: (items: InboxItem[]) => void;
  /** The last message time the agent has seen per row (unread when a customer wrote since). */
  seen: Record<string, number>;
}) {
  const { status, queue, assignee } = filter;
  // The order survives refreshes and is set afresh when the filter changes.
  const order = useRef<{ key: string; ids: string[] }>({ key: '', ids: [] });
  const filterKey = `${status}|${queue}|${assignee}`;
  const items = useMemo(() => {
    const previous = order.current.key === filterKey ? order.current.ids : [];
    const next = keepOrder(previous, data?.items ?? []);
    order.current = { key: filterKey, ids: next.map((item) => item.id) };
    return next;
  }, [data, filterKey]);
  useEffect(() => onOrder(items), [items, onOrder]);
  const now = useNow();
  const total = data ? Object.values(data.counts).reduce((a, b) => a + b, 0) : 0;
  return (
    <nav className="ib-list" aria-label="Conversations">
      <div className="ib-filters">
        <div className="ib-status-tabs" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={status === ''}
            className={status === '' ? 'chosen' : ''}
            onClick={() => onFilter({ status: '' })}
          >
            all <span className="muted">{total}</span>
          </button>
          {statuses.map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              aria-selected={status === s}
              className={status === s ? 'chosen' : ''}
              onClick={() => onFilter({ status: s })}
            >
              {s} <span className="muted">{data?.counts[s] ?? 0}</span>
            </button>
          ))}
        </div>
        <div className="ib-row">
          <select aria-label="Queue" value={queue} onChange={(e) => onFilter({ queue: e.target.value })}>
            <option value="">all queues</option>
            {(data?.queues ?? []).map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
          <select aria-label="Assignee" value={assignee} onChange={(e) => onFilter({ assignee: e.target.value })}>
            <option value="">anyone</option>
            <option value="me">me</option>
            {(data?.assignees ?? [])
              .filter((a) => a.id !== agent?.id)
              .map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
          </select>
        </div>
      </div>
      {!data && !error && <p className="muted ib-pad">Loading…</p>}
      {data && items.length === 0 && <p className="muted ib-pad">Nothing here.</p>}
      <ul>
        {items.map((item) => (
          <ItemRow
            key={item.id}
            item={item}
            now={now}
            unread={unread(item, seen)}
            selected={isSelected(item)}
            onSelect={() => onSelect(item)}
          />
        ))}
      </ul>
    </nav>
  );
}

/** The clock the waiting times count from, ticking every few seconds. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function unread(item: InboxItem, seen: Record<string, number>): boolean {
  const last = item.lastMessage;
  if (!last || last.from !== 'customer' || item.status === 'resolved' || item.status === 'closed') return false;
  return last.at > (seen[item.id] ?? 0);
}

function ItemRow({
  item,
  now,
  unread,
  selected,
  onSelect,
}: {
  item: InboxItem;
  now: number;
  unread: boolean;
  selected: boolean;
  onSelect: () => void;
}) {
  const since = waitingSince(item);
  const due = item.dueAt !== undefined ? item.dueAt - now : null;
  return (
    <li>
      <button
        type="button"
        className={`ib-item${selected ? ' selected' : ''}${unread ? ' unread' : ''}`}
        onClick={onSelect}
        data-id={item.id}
        aria-current={selected ? 'true' : undefined}
      >
        <div className="ib-item-head">
          {unread && <span className="ib-dot" aria-label="unread" title="the customer wrote since you last looked" />}
          <strong className="ib-item-name">{item.customer.name ?? shortRef(item.customer.id)}</strong>
          <span className="ib-item-ref muted" title={item.customer.email ?? item.customer.id}>
            {item.customer.email ?? shortRef(item.conversationId)}
          </span>
          <span className={`ib-status ib-status-${item.status}`}>{item.status}</span>
        </div>
        <div className="ib-item-meta muted">
          {item.priority && item.priority !== 'normal' && (
            <span className={`ib-tag ib-prio-${item.priority}`}>{item.priority}</span>
          )}
          {item.reopened && <span className="ib-tag ib-reopened">reopened</span>}
          {since !== null && <span className="ib-wait">waiting {span(now - since)}</span>}
          {due !== null && (
            <span className={`ib-sla${due < 0 ? ' late' : due < 10 * 60_000 ? ' soon' : ''}`}>
              {due < 0 ? `SLA over by ${span(-due)}` : `SLA ${span(due)}`}
            </span>
          )}
          <span className="ib-item-where">
            {item.queue ?? item.journey.id}
            {item.assignee && ` · ${item.assignee.name}`}
            {item.sentiment.label === 'negative' && <span className="ib-neg"> · negative</span>}
          </span>
        </div>
        {item.lastMessage && (
          <div className="ib-item-last">
            <span className="muted">{item.lastMessage.from}:</span> {item.lastMessage.text}
          </div>
        )}
      </button>
    </li>
  );
}
