import type { Measures } from './types';
import { duration, mean, pct, plural } from './format';

/** Started and not ended, never handed off: the bot still has them. */
export const withTheBot = (m: Measures) =>
  Math.max(0, m.conversations.total - m.conversations.escalated - m.conversations.deflected.total);

/** The tiles at the top: one headline number per measure, with what it is made of. */
export function Cards({ m, windowHours }: { m: Measures; windowHours: number }) {
  const c = m.conversations;
  const h = m.handoffs;
  return (
    <div className="cards">
      <article className="card" data-testid="card-conversations">
        <h2>Conversations</h2>
        <p className="big">{c.total}</p>
        <p>
          resolved by the bot <b>{c.deflected.total}</b> (confirmed {c.deflected.confirmed}, assumed{' '}
          {c.deflected.assumed}) · handed off to an agent <b>{c.escalated}</b> · still with the bot {withTheBot(m)}
        </p>
      </article>
      <article className="card" data-testid="card-ces">
        <h2>Customer effort (CES)</h2>
        <p className="big">
          {mean(m.ces.mean)}
          <small> / 7</small>
        </p>
        <p>{plural(m.ces.count, 'answer')}</p>
      </article>
      <article className="card" data-testid="card-csat">
        <h2>Satisfaction (CSAT)</h2>
        <p className="big">
          {mean(m.csat.mean)}
          <small> / 5</small>
        </p>
        <p>{plural(m.csat.count, 'answer')}</p>
      </article>
      <article className="card" data-testid="card-handoffs">
        <h2>Handed off to an agent</h2>
        <p className="big">{h.tickets}</p>
        <p>
          waiting for an agent <b>{Math.max(0, h.tickets - h.claimed)}</b> · with an agent{' '}
          <b>{Math.max(0, h.claimed - h.resolved)}</b> · resolved by an agent <b>{h.resolved}</b>
        </p>
      </article>
      <article className="card" data-testid="card-resolution">
        <h2>Resolved by an agent, not reopened</h2>
        <p className="big">{pct(m.handoffs.resolutionRate)}</p>
        <p>
          {m.handoffs.resolvedWithoutReopen} of {m.handoffs.tickets} tickets without a reopen within {windowHours} h (
          {m.handoffs.reopened} reopened)
        </p>
      </article>
      <article className="card" data-testid="card-handle-time">
        <h2>Agent handle time</h2>
        <p className="big">{duration(m.handoffs.handleTime.p50Seconds)}</p>
        <p>
          median claimed → resolved; p90 {duration(m.handoffs.handleTime.p90Seconds)} over {m.handoffs.handleTime.count}{' '}
          tickets
        </p>
      </article>
      <article className="card" data-testid="card-agents">
        <h2>Agent satisfaction</h2>
        <p className="big">{pct(m.agents.helpfulRate)}</p>
        <p>
          summaries helpful ({m.agents.summaryHelpful} of {m.agents.summaryVerdicts}) ·{' '}
          {m.agents.pulse.count > 0
            ? `pulse ${mean(m.agents.pulse.mean)} / 5 (${plural(m.agents.pulse.count, 'answer')})`
            : 'no pulse answers yet'}
        </p>
      </article>
    </div>
  );
}
