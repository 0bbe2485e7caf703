import { useState } from 'react';
import { inboxApi, type AgentRef, type TicketView } from './api';
import { message, time, whoFirst } from './format';
import { facts, readableStep } from './facts';
import { Profile } from './Profile';
import { Sparkline } from './Sparkline';

/**
 * The handoff packet: what the bot learnt before the handoff, and the agent's verdict on it. Closed it
 * is one line (priority, queue, intent, the summary) so the thread keeps the room; it opens on demand.
 */
export function Packet({
  view,
  agent,
  onChanged,
}: {
  view: TicketView;
  agent: AgentRef | null;
  onChanged: () => void;
}) {
  const { ticket } = view;
  const history = ticket.sentiment.history ?? view.conversation?.sentiment.history ?? [];
  const mine = view.feedback.find((entry) => entry.agentId === agent?.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pulse, setPulse] = useState<number | ''>('');
  const [open, setOpen] = useState(false);
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
    agent ? act(() => fn(agent)) : setError(whoFirst);
  return (
    <section className={`ib-packet${open ? ' open' : ''}`} aria-label="Handoff packet">
      <button
        type="button"
        className="ib-packet-line"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        title={open ? 'Hide the packet' : 'Show the whole packet'}
      >
        <span className={`ib-tag ib-prio-${ticket.priority}`}>{ticket.priority}</span>
        <span className="ib-tag">{ticket.queue}</span>
        {ticket.reopened ? <span className="ib-tag ib-reopened">reopened</span> : null}
        {ticket.intent && <span className="ib-tag">{ticket.intent.name}</span>}
        <span className={`ib-tag${ticket.sentiment.label === 'negative' ? ' ib-neg' : ''}`}>
          {ticket.sentiment.label}
        </span>
        <span className="ib-packet-summary">{ticket.summary}</span>
        <span className="ib-packet-toggle">{open ? 'Less ▴' : 'More ▾'}</span>
      </button>
      {open && (
        <div className="ib-packet-body">
          <p className="ib-summary">{ticket.summary}</p>
          <p className="muted ib-packet-where">
            {ticket.journey.id}@{ticket.journey.version} · {ticket.channel} · opened {time(ticket.openedAt)}
          </p>
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
                    <li key={i}>{readableStep(step)}</li>
                  ))}
                </ol>
              )}
            </dd>
            <dt>Account</dt>
            <dd>
              <Profile customer={ticket.customer} />
            </dd>
            {facts(ticket.variables).length > 0 && (
              <>
                <dt>What the bot found</dt>
                <dd>
                  <dl className="ib-kv">
                    {facts(ticket.variables).map(([key, value]) => (
                      <div key={key} className="ib-kv-row">
                        <dt>{key}</dt>
                        <dd className={value === '[secret]' ? 'ib-secret' : ''}>{value}</dd>
                      </div>
                    ))}
                  </dl>
                </dd>
              </>
            )}
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
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
