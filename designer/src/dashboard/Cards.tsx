import type { Measures } from './types';
import { duration, mean, pct, plural } from './format';

/** The tiles at the top: one headline number per measure, with what it is made of. */
export function Cards({ m, windowHours }: { m: Measures; windowHours: number }) {
  const c = m.conversations;
  return (
    <div className="cards">
      <article className="card" data-testid="card-conversations">
        <h2>Conversations</h2>
        <p className="big">{c.total}</p>
        <p>
          handed off <b>{c.escalated}</b> · bot-resolved <b>{c.deflected.total}</b> (confirmed {c.deflected.confirmed},
          assumed {c.deflected.assumed}) · in progress {c.inProgress}
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
      <article className="card" data-testid="card-resolution">
        <h2>Resolved after handoff</h2>
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
