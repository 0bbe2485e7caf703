import { Answers } from './Answers';
import { BarChart, RateBars, StackedBar } from './charts';
import { Cards, withTheBot } from './Cards';
import { Trends } from './Trends';
import { FailedHandoffs, VersionsTable } from './Tables';
import type { MetricsReport } from './types';

/** What the API reported for the period: tiles, charts, the table per version, the failed handoffs. */
export function Report({ report, names }: { report: MetricsReport; names: ReadonlyMap<string, string> }) {
  const m = report.overall;
  const nameOf = (journeyId: string) => names.get(journeyId) ?? journeyId;
  const from = new Date(report.period.from).toLocaleString();
  const to = new Date(report.period.to).toLocaleString();
  const rows = report.journeys.flatMap((j) =>
    j.versions.map((v) => ({
      key: `${j.journeyId}@${v.version}`,
      label: `${nameOf(j.journeyId)} v${v.version}`,
      journeyId: j.journeyId,
      version: v.version,
      measures: v.measures,
      ...(v.temporalUrl && { temporalUrl: v.temporalUrl }),
    })),
  );
  return (
    <>
      <p className="muted period">
        {from} – {to}
        {report.filter.journeyId && (
          <>
            {' '}
            · {nameOf(report.filter.journeyId)}
            {report.filter.version !== undefined && ` v${report.filter.version}`}
          </>
        )}
      </p>
      <Cards m={m} windowHours={report.reopenWindowHours} />
      <Trends trend={report.trend} />

      <section className="panel" aria-labelledby="outcomes-h">
        <h2 id="outcomes-h">How conversations went</h2>
        <p className="muted">
          Resolved by the bot is shown with the handoffs and the total, never alone: "assumed" means the bot ended
          without a handoff and without the customer saying it worked.
        </p>
        <StackedBar
          title="Conversations by outcome"
          parts={[
            { label: 'Resolved by the bot, confirmed', value: m.conversations.deflected.confirmed, color: '#1b7f3a' },
            { label: 'Resolved by the bot, assumed', value: m.conversations.deflected.assumed, color: '#8cc99e' },
            { label: 'Handed off to an agent', value: m.conversations.escalated, color: '#e08a1e' },
            { label: 'Still with the bot', value: withTheBot(m), color: '#b8bfcc' },
          ]}
        />
      </section>

      <Answers
        answers={m.answers}
        {...(report.correctionsToLearn !== undefined && { correctionsToLearn: report.correctionsToLearn })}
      />

      <div className="charts">
        <section className="panel" aria-labelledby="ces-h">
          <h2 id="ces-h">Customer effort (CES, 1–7)</h2>
          <BarChart
            title="CES answers per score"
            bars={Object.entries(m.ces.distribution).map(([label, value]) => ({ label, value }))}
          />
        </section>
        <section className="panel" aria-labelledby="csat-h">
          <h2 id="csat-h">Satisfaction (CSAT, 1–5)</h2>
          <BarChart
            title="CSAT answers per score"
            bars={Object.entries(m.csat.distribution).map(([label, value]) => ({ label, value, color: '#7b4bd1' }))}
          />
        </section>
        <section className="panel" aria-labelledby="rate-h">
          <h2 id="rate-h">Resolved by an agent, not reopened, per version</h2>
          {rows.length === 0 ? (
            <p className="muted">No conversations in this period.</p>
          ) : (
            <RateBars
              title="Resolved by an agent, not reopened, per journey version"
              rows={rows.map((row) => ({ label: row.label, rate: row.measures.handoffs.resolutionRate }))}
            />
          )}
        </section>
      </div>

      <VersionsTable rows={rows} />
      <FailedHandoffs report={report} nameOf={nameOf} />
    </>
  );
}
