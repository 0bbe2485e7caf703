import type { FailedHandoff, MetricsReport } from './types';
import { duration, mean, pct } from './format';

const reasonText: Record<FailedHandoff['reasons'][number], string> = {
  misrouted: 'misrouted',
  rerouted: 're-routed',
  summary_unhelpful: 'summary unhelpful',
  reopened: 'reopened',
};

export interface VersionRow {
  key: string;
  /** The journey's name and version. */
  label: string;
  journeyId: string;
  version: number;
  measures: MetricsReport['overall'];
  /** The version's conversations in the Temporal UI, when the server links to one. */
  temporalUrl?: string;
}

/** Every measure per journey version, side by side. */
export function VersionsTable({ rows }: { rows: VersionRow[] }) {
  return (
    <section className="panel" aria-labelledby="versions-h">
      <h2 id="versions-h">Per journey and version</h2>
      <table className="measures" data-testid="versions-table">
        <thead>
          <tr>
            <th scope="col">Journey</th>
            <th scope="col">Conversations</th>
            <th scope="col">Handed off to an agent</th>
            <th scope="col">Resolved by the bot (confirmed / assumed)</th>
            <th scope="col">CES</th>
            <th scope="col">CSAT</th>
            <th scope="col">Resolved by an agent, not reopened</th>
            <th scope="col">Handle time p50 / p90</th>
            <th scope="col">Helpful summaries</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, label, measures: v, temporalUrl }) => (
            <tr key={key} data-version={key}>
              <th scope="row" title={key}>
                {label}
                {temporalUrl && (
                  <>
                    {' · '}
                    <a
                      href={temporalUrl}
                      target="_blank"
                      rel="noopener noreferrer"
                      title="This version's conversations listed in the Temporal UI (opens a new tab)"
                    >
                      Conversations in Temporal
                    </a>
                  </>
                )}
              </th>
              <td>{v.conversations.total}</td>
              <td>{v.conversations.escalated}</td>
              <td>
                {v.conversations.deflected.confirmed} / {v.conversations.deflected.assumed}
              </td>
              <td>{mean(v.ces.mean)}</td>
              <td>{mean(v.csat.mean)}</td>
              <td>{pct(v.handoffs.resolutionRate)}</td>
              <td>
                {duration(v.handoffs.handleTime.p50Seconds)} / {duration(v.handoffs.handleTime.p90Seconds)}
              </td>
              <td>{pct(v.agents.helpfulRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The tickets whose handoff went wrong (misrouted, re-routed, unhelpful summary, reopened), each linked
 * to its conversation in the inbox (`#/inbox?ticket=`, the address the inbox itself shares).
 */
export function FailedHandoffs({ report, nameOf }: { report: MetricsReport; nameOf: (journeyId: string) => string }) {
  return (
    <section className="panel" aria-labelledby="failed-h">
      <h2 id="failed-h">Failed handoffs for the weekly review ({report.failedHandoffs.length})</h2>
      {report.failedHandoffs.length === 0 ? (
        <p className="muted">None in this period.</p>
      ) : (
        <table className="measures" data-testid="failed-handoffs">
          <thead>
            <tr>
              <th scope="col">Conversation</th>
              <th scope="col">Journey</th>
              <th scope="col">Queue</th>
              <th scope="col">Agent</th>
              <th scope="col">Why</th>
              <th scope="col">Opened</th>
            </tr>
          </thead>
          <tbody>
            {report.failedHandoffs.map((row) => (
              <tr key={row.ticketId} data-ticket={row.ticketId}>
                <td>
                  <a
                    href={`#/inbox?ticket=${encodeURIComponent(row.ticketId)}`}
                    title={`ticket ${row.ticketId}, conversation ${row.conversationId}`}
                  >
                    Open conversation
                  </a>
                  {row.temporalUrl && (
                    <>
                      {' · '}
                      <a
                        href={row.temporalUrl}
                        target="_blank"
                        rel="noopener noreferrer"
                        title="The conversation's workflow history in the Temporal UI (opens a new tab)"
                      >
                        Open in Temporal
                      </a>
                    </>
                  )}
                </td>
                <td title={`${row.journeyId}@${row.version}`}>
                  {nameOf(row.journeyId)} v{row.version}
                </td>
                <td>{row.queue}</td>
                <td>{row.assignee ?? '—'}</td>
                <td>
                  {row.reasons.map((reason) => (
                    <span key={reason} className={`chip ${reason}`}>
                      {reasonText[reason]}
                    </span>
                  ))}
                  {row.correctedIntent && (
                    <span className="muted small">
                      {' '}
                      intent {row.correctedIntent.from ?? '?'} → {row.correctedIntent.to}
                    </span>
                  )}
                  {row.comment && <span className="muted small"> “{row.comment}”</span>}
                </td>
                <td>{new Date(row.openedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
