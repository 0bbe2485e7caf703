import { useState } from 'react';
import { inboxApi, type AgentRef, type TicketView } from './api';
import { compact, message, time, whoFirst } from './format';
import { Profile } from './Profile';
import { Sparkline } from './Sparkline';

/** The handoff packet: what the bot learnt before the handoff, and the agent's verdict on it. */
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
