import type { AgentRef, InboxItem, InboxList } from './api';

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
}: {
  data: InboxList | null;
  error: string | null;
  filter: ListFilter;
  onFilter: (change: Partial<ListFilter>) => void;
  agent: AgentRef | null;
  isSelected: (item: InboxItem) => boolean;
  onSelect: (item: InboxItem) => void;
}) {
  const { status, queue, assignee } = filter;
  const items = data?.items ?? [];
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
          <ItemRow key={item.id} item={item} selected={isSelected(item)} onSelect={() => onSelect(item)} />
        ))}
      </ul>
    </nav>
  );
}

function ItemRow({ item, selected, onSelect }: { item: InboxItem; selected: boolean; onSelect: () => void }) {
  return (
    <li>
      <button type="button" className={`ib-item${selected ? ' selected' : ''}`} onClick={onSelect} data-id={item.id}>
        <div className="ib-item-head">
          <strong>{item.customer.name ?? item.customer.id}</strong>
          <span className={`ib-status ib-status-${item.status}`}>{item.status}</span>
          {item.reopened && <span className="ib-tag ib-reopened">reopened</span>}
          {item.priority && <span className={`ib-tag ib-prio-${item.priority}`}>{item.priority}</span>}
        </div>
        <div className="ib-item-meta muted">
          {item.journey.id} · {item.channel}
          {item.queue && ` · ${item.queue}`}
          {item.assignee && ` · ${item.assignee.name}`}
          {item.sentiment.label === 'negative' && <span className="ib-neg"> · negative</span>}
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
