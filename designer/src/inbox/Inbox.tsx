/**
 * The agents' shared inbox (`#/inbox`): bot and human conversations in one stream, the ticket with
 * its handoff packet, the actions (claim, reply, internal note, resolve), AI assist from the
 * knowledge base, and the agent's verdict on the handoff. Refreshes itself every few seconds; what
 * the agent types stays in the box until the server has taken it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  inboxApi,
  type AgentRef,
  type AssistAnswer,
  type Conversation,
  type InboxItem,
  type InboxList,
  type TicketView,
  type TranscriptEntry,
} from './api';
import { Sparkline } from './Sparkline';
import './inbox.css';

const refreshMs = 3000;
const statuses = ['bot', 'pending', 'open', 'resolved', 'closed'] as const;
const agentKey = 'baton.inbox.agent';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function time(at: number | string): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function newMessageId(): string {
  return `inbox-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function storedAgent(): AgentRef | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(agentKey) ?? 'null') as AgentRef | null;
    return parsed && typeof parsed.id === 'string' && typeof parsed.name === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/** Polls `load` every few seconds while mounted; `reload` asks at once. */
function usePolling<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await load();
        if (!cancelled) {
          setData(value);
          setError(null);
        }
      } catch (e) {
        if (!cancelled) setError(message(e));
      }
      if (!cancelled) timer = setTimeout(run, refreshMs);
    };
    void run();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}

function AgentPicker({
  agent,
  onChange,
  fromSession,
}: {
  agent: AgentRef | null;
  onChange: (agent: AgentRef) => void;
  fromSession: boolean;
}) {
  const [name, setName] = useState(agent?.name ?? '');
  if (fromSession && agent)
    return (
      <span className="ib-me">
        Signed in as <strong>{agent.name}</strong>
      </span>
    );
  const save = () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    onChange({ id: `agent-${trimmed.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, name: trimmed });
  };
  return (
    <form
      className="ib-me"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <label>
        Acting as{' '}
        <input
          aria-label="Agent name"
          value={name}
          placeholder="your name"
          onChange={(e) => setName(e.target.value)}
          onBlur={save}
        />
      </label>
    </form>
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

function Transcript({ entries }: { entries: readonly TranscriptEntry[] }) {
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [entries.length]);
  return (
    <div className="ib-transcript" aria-label="Transcript">
      {entries.map((entry) => (
        <div key={entry.seq} className={`ib-msg ib-from-${entry.from}`}>
          <div className="ib-msg-who">
            {entry.from === 'agent' && entry.agent ? entry.agent.name : entry.from}{' '}
            <span className="muted">{time(entry.at)}</span>
          </div>
          <div className="ib-msg-text">{entry.text}</div>
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}

function Profile({ customer }: { customer: Conversation['customer'] }) {
  const extra = Object.entries(customer).filter(([key]) => !['id', 'name', 'email', 'tier'].includes(key));
  return (
    <div className="ib-profile">
      <strong>{customer.name ?? customer.id}</strong>
      {customer.tier && <span className="ib-tag">{customer.tier}</span>}
      <span className="muted">
        {' '}
        {customer.email ?? ''} · id {customer.id}
      </span>
      {extra.map(([key, value]) => (
        <span key={key} className="muted">
          {' '}
          · {key}: {typeof value === 'string' ? value : JSON.stringify(value)}
        </span>
      ))}
    </div>
  );
}

function compact(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function Packet({ view, agent, onChanged }: { view: TicketView; agent: AgentRef | null; onChanged: () => void }) {
  const { ticket } = view;
  const history = ticket.sentiment.history ?? view.conversation?.sentiment.history ?? [];
  const mine = view.feedback.find((entry) => entry.agentId === agent?.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pulse, setPulse] = useState<number | ''>('');
  const intentNames = [...new Set(view.intents.flatMap((group) => group.intents))];
  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what();
      onChanged();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  const needAgent = (fn: (agent: AgentRef) => Promise<unknown>) => () =>
    agent ? act(() => fn(agent)) : setError('Say who you are first (Acting as, at the top).');
  return (
    <section className="ib-packet" aria-label="Handoff packet">
      <div className="ib-packet-head">
        <span className={`ib-tag ib-prio-${ticket.priority}`}>{ticket.priority}</span>
        <span className="ib-tag">{ticket.queue}</span>
        <span className="ib-tag">{ticket.channel}</span>
        {ticket.reopened ? <span className="ib-tag ib-reopened">reopened</span> : null}
        <span className="muted">
          {ticket.journey.id}@{ticket.journey.version} · opened {time(ticket.openedAt)}
        </span>
      </div>
      <p className="ib-summary">{ticket.summary}</p>
      <dl className="ib-facts">
        <dt>Reason</dt>
        <dd>{ticket.reason}</dd>
        <dt>Intent</dt>
        <dd>
          {ticket.intent ? (
            <>
              {ticket.intent.name} <span className="muted">({Math.round(ticket.intent.confidence * 100)} %)</span>
            </>
          ) : (
            <span className="muted">none</span>
          )}
          {view.correction && <span className="good"> → corrected to {view.correction.intent}</span>}
        </dd>
        <dt>Sentiment</dt>
        <dd className="ib-sentiment">
          <span className={ticket.sentiment.label === 'negative' ? 'ib-neg' : ''}>
            {ticket.sentiment.label} ({ticket.sentiment.score.toFixed(2)})
          </span>
          <Sparkline values={history} />
          {ticket.sentiment.trend && ticket.sentiment.trend !== 'unknown' && (
            <span className="muted">{ticket.sentiment.trend}</span>
          )}
        </dd>
        <dt>Steps tried</dt>
        <dd>
          {ticket.stepsTried.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ol className="ib-steps">
              {ticket.stepsTried.map((step, i) => (
                <li key={i}>{step}</li>
              ))}
            </ol>
          )}
        </dd>
        <dt>Account</dt>
        <dd>
          <Profile customer={ticket.customer} />
          {Object.entries(ticket.variables)
            .filter(([, value]) => value !== null && value !== '' && typeof value === 'object')
            .map(([key, value]) => (
              <div key={key} className="ib-var">
                <code>{key}</code> {compact(value)}
              </div>
            ))}
        </dd>
      </dl>
      <div className="ib-verdict">
        <span>Was this summary helpful?</span>
        <button
          type="button"
          className={mine?.summaryHelpful === true ? 'chosen' : ''}
          disabled={busy}
          onClick={needAgent((a) => inboxApi.feedback(ticket.ticketId, a, true, pulse || undefined))}
        >
          Helpful
        </button>
        <button
          type="button"
          className={mine?.summaryHelpful === false ? 'chosen' : ''}
          disabled={busy}
          onClick={needAgent((a) => inboxApi.feedback(ticket.ticketId, a, false, pulse || undefined))}
        >
          Not helpful
        </button>
        <label className="ib-inline">
          Your pulse
          <select
            aria-label="Agent pulse"
            value={pulse}
            onChange={(e) => setPulse(e.target.value ? Number(e.target.value) : '')}
          >
            <option value="">–</option>
            {[1, 2, 3, 4, 5].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {mine && <span className="good">saved ({mine.summaryHelpful ? 'helpful' : 'not helpful'})</span>}
        <label className="ib-inline">
          Correct intent
          <select
            aria-label="Correct the intent"
            value=""
            disabled={busy || intentNames.length === 0}
            onChange={(e) => {
              const intent = e.target.value;
              if (intent) void needAgent((a) => inboxApi.correctIntent(ticket.ticketId, a, intent))();
            }}
          >
            <option value="">choose…</option>
            {view.intents.map((group) => (
              <optgroup key={group.nodeId} label={group.label}>
                {group.intents.map((intent) => (
                  <option key={`${group.nodeId}-${intent}`} value={intent}>
                    {intent}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function AssistPanel({ ticketId, onInsert }: { ticketId: string; onInsert: (text: string) => void }) {
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState<AssistAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setAnswer(null);
    setError(null);
  }, [ticketId]);
  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await inboxApi.assist(ticketId, question.trim() || undefined));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <aside className="ib-assist" aria-label="AI assist">
      <h2>AI assist</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void ask();
        }}
      >
        <textarea
          aria-label="Ask the knowledge base"
          rows={3}
          value={question}
          placeholder="Ask the knowledge base… (empty: what the customer said)"
          onChange={(e) => setQuestion(e.target.value)}
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Asking…' : 'Ask'}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {answer && (
        <div className="ib-answer">
          <p className="muted ib-question">Asked: {answer.question}</p>
          {answer.answer ? <p>{answer.answer}</p> : <p className="muted">The knowledge base has nothing on this.</p>}
          {answer.suggestedReply && (
            <div className="ib-suggestion">
              <h3>Suggested reply</h3>
              <pre>{answer.suggestedReply}</pre>
              <button type="button" onClick={() => onInsert(answer.suggestedReply ?? '')}>
                Insert into reply
              </button>
            </div>
          )}
          <h3>Sources</h3>
          <ol className="ib-sources">
            {answer.sources.map((source) => (
              <li key={source.articleId}>
                <strong>{source.title}</strong> <span className="muted">score {source.score.toFixed(1)}</span>
                <div className="muted">
                  <code>{source.articleId}</code>
                </div>
                <div>{source.snippet}</div>
              </li>
            ))}
          </ol>
          <p className="muted">by the {answer.provider} provider</p>
        </div>
      )}
    </aside>
  );
}

function Composer({
  view,
  agent,
  draft,
  setDraft,
  onSent,
}: {
  view: TicketView;
  agent: AgentRef | null;
  draft: string;
  setDraft: (text: string) => void;
  onSent: () => void;
}) {
  const { ticket } = view;
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One client message id per draft: a retry after a failure is not a second message.
  const messageId = useRef(newMessageId());
  const mayReply = ticket.status === 'open' && ticket.assignee?.id === agent?.id;
  const send = async () => {
    if (!agent) return setError('Say who you are first (Acting as, at the top).');
    const text = draft.trim();
    if (!text) return setError(mode === 'reply' ? 'Write a reply first.' : 'Write a note first.');
    setBusy(true);
    setError(null);
    try {
      if (mode === 'reply') await inboxApi.reply(ticket.ticketId, agent, text, messageId.current);
      else await inboxApi.note(ticket.ticketId, agent, text);
      messageId.current = newMessageId();
      setDraft('');
      onSent();
    } catch (e) {
      // The text stays in the box.
      setError(`${mode === 'reply' ? 'Not sent' : 'Note not saved'} (your text is still here): ${message(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className={`ib-composer ib-mode-${mode}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="ib-tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'reply'}
          className={mode === 'reply' ? 'chosen' : ''}
          onClick={() => setMode('reply')}
        >
          Reply to customer
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === 'note'}
          className={mode === 'note' ? 'chosen' : ''}
          onClick={() => setMode('note')}
        >
          Internal note
        </button>
      </div>
      <textarea
        aria-label={mode === 'reply' ? 'Reply' : 'Internal note'}
        rows={5}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        placeholder={
          mode === 'reply'
            ? mayReply
              ? 'Write to the customer…'
              : 'Claim the ticket to reply'
            : 'Only agents see notes'
        }
      />
      <div className="ib-row">
        <button type="submit" className="primary" disabled={busy || (mode === 'reply' && !mayReply)}>
          {mode === 'reply' ? 'Send reply' : 'Add note'}
        </button>
        {mode === 'note' && <span className="muted">never sent to the customer</span>}
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}

function TicketPane({
  ticketId,
  agent,
  onChanged,
}: {
  ticketId: string;
  agent: AgentRef | null;
  onChanged: () => void;
}) {
  const { data: view, error, reload } = usePolling(() => inboxApi.ticket(ticketId), [ticketId]);
  const [draft, setDraft] = useState('');
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setActionError(null), [ticketId]);
  const changed = () => {
    reload();
    onChanged();
  };
  const act = async (what: (agent: AgentRef) => Promise<unknown>) => {
    if (!agent) return setActionError('Say who you are first (Acting as, at the top).');
    setBusy(true);
    setActionError(null);
    try {
      await what(agent);
      changed();
    } catch (e) {
      setActionError(message(e));
    } finally {
      setBusy(false);
    }
  };
  if (!view)
    return (
      <div className="ib-view">{error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>}</div>
    );
  const { ticket } = view;
  const transcript = view.conversation?.transcript ?? ticket.transcript;
  return (
    <>
      <div className="ib-view">
        <div className="ib-view-head">
          <h2>
            {ticket.customer.name ?? ticket.customer.id}{' '}
            <span className={`ib-status ib-status-${ticket.status}`}>{ticket.status}</span>
          </h2>
          <div className="ib-actions">
            {ticket.assignee && <span className="muted">with {ticket.assignee.name}</span>}
            {ticket.status === 'pending' && (
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => void act((a) => inboxApi.claim(ticket.ticketId, a))}
              >
                Claim
              </button>
            )}
            {ticket.status !== 'resolved' && (
              <button
                type="button"
                disabled={busy || (ticket.status === 'open' && ticket.assignee?.id !== agent?.id)}
                onClick={() => void act((a) => inboxApi.resolve(ticket.ticketId, a))}
              >
                Resolve
              </button>
            )}
          </div>
        </div>
        {error && <p className="error">Refresh failed: {error}</p>}
        {actionError && (
          <p className="error" role="alert">
            {actionError}
          </p>
        )}
        <Packet view={view} agent={agent} onChanged={changed} />
        <h3>Conversation</h3>
        <Transcript entries={transcript} />
        {view.notes.length > 0 && (
          <div className="ib-notes" aria-label="Internal notes">
            <h3>Internal notes</h3>
            {view.notes.map((note) => (
              <div key={note.noteId} className="ib-note">
                <span className="muted">
                  {note.agentName} · {time(note.at)}
                </span>{' '}
                {note.text}
              </div>
            ))}
          </div>
        )}
        {ticket.status !== 'resolved' && (
          <Composer view={view} agent={agent} draft={draft} setDraft={setDraft} onSent={changed} />
        )}
      </div>
      <AssistPanel
        ticketId={ticket.ticketId}
        onInsert={(text) => setDraft(draft.trim() ? `${draft.trimEnd()}\n\n${text}` : text)}
      />
    </>
  );
}

function ConversationPane({ conversationId }: { conversationId: string }) {
  const { data: conversation, error } = usePolling(() => inboxApi.conversation(conversationId), [conversationId]);
  if (!conversation)
    return (
      <div className="ib-view">{error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>}</div>
    );
  return (
    <div className="ib-view">
      <div className="ib-view-head">
        <h2>
          {conversation.customer.name ?? conversation.customer.id}{' '}
          <span className={`ib-status ib-status-${conversation.status === 'active' ? 'bot' : 'closed'}`}>
            {conversation.status === 'active' ? 'with the bot' : 'closed'}
          </span>
        </h2>
      </div>
      <Profile customer={conversation.customer} />
      <p className="muted">
        {conversation.journey.id}@{conversation.journey.version} · {conversation.channel}
        {conversation.intent &&
          ` · intent ${conversation.intent.name} (${Math.round(conversation.intent.confidence * 100)} %)`}{' '}
        · sentiment {conversation.sentiment.label}
        {conversation.outcome && ` · ${conversation.outcome}`}
      </p>
      <Sparkline values={conversation.sentiment.history ?? []} />
      <h3>Conversation</h3>
      <Transcript entries={conversation.transcript} />
      <p className="muted">
        The bot is handling this conversation; it comes to the queue when the journey hands it off.
      </p>
    </div>
  );
}

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
  const [status, setStatus] = useState('');
  const [queue, setQueue] = useState('');
  const [assignee, setAssignee] = useState('');
  const [selected, setSelected] = useState<InboxItem | null>(null);
  const chooseAgent = (next: AgentRef) => {
    setAgent(next);
    localStorage.setItem(agentKey, JSON.stringify(next));
  };
  const assigneeFilter = assignee === 'me' ? (agent?.id ?? '') : assignee;
  const { data, error, reload } = usePolling<InboxList>(
    () => inboxApi.items({ status, queue, assignee: assigneeFilter }),
    [status, queue, assigneeFilter],
  );
  const items = data?.items ?? [];
  // A bot conversation that was handed off meanwhile: follow it to its ticket.
  useEffect(() => {
    if (!selected || selected.ticketId) return;
    const escalated = data?.items.find((item) => item.conversationId === selected.conversationId && item.ticketId);
    if (escalated) setSelected(escalated);
  }, [data, selected]);
  const total = data ? Object.values(data.counts).reduce((a, b) => a + b, 0) : 0;
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
        <nav className="ib-list" aria-label="Conversations">
          <div className="ib-filters">
            <div className="ib-status-tabs" role="tablist">
              <button
                type="button"
                role="tab"
                aria-selected={status === ''}
                className={status === '' ? 'chosen' : ''}
                onClick={() => setStatus('')}
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
                  onClick={() => setStatus(s)}
                >
                  {s} <span className="muted">{data?.counts[s] ?? 0}</span>
                </button>
              ))}
            </div>
            <div className="ib-row">
              <select aria-label="Queue" value={queue} onChange={(e) => setQueue(e.target.value)}>
                <option value="">all queues</option>
                {(data?.queues ?? []).map((q) => (
                  <option key={q} value={q}>
                    {q}
                  </option>
                ))}
              </select>
              <select aria-label="Assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
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
                selected={(selected?.id ?? linked) === item.id}
                onSelect={() => {
                  setSelected(item);
                  setLinked(null);
                  // The address names the ticket, so it can be shared; replaceState fires no hashchange.
                  history.replaceState(
                    null,
                    '',
                    item.ticketId ? `#/inbox?ticket=${encodeURIComponent(item.ticketId)}` : '#/inbox',
                  );
                }}
              />
            ))}
          </ul>
        </nav>
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
