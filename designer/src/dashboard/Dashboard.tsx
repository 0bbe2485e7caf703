import { useEffect, useMemo, useState } from 'react';
import { call } from '../api';
import { BarChart, RateBars, StackedBar } from './charts';
import type { FailedHandoff, Measures, MetricsReport } from './types';
import './dashboard.css';

type Preset = '1' | '7' | '30' | '90' | 'custom';
const dayMs = 86_400_000;

const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)} %`);
const mean = (value: number | null, digits = 1) => (value === null ? '—' : value.toFixed(digits));

export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

const reasonText: Record<FailedHandoff['reasons'][number], string> = {
  misrouted: 'misrouted',
  rerouted: 're-routed',
  summary_unhelpful: 'summary unhelpful',
  reopened: 'reopened',
};

const localDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** The period as the API takes it: [from, to) in epoch ms. Custom dates are whole local days. */
function periodOf(
  preset: Preset,
  customFrom: string,
  customTo: string,
  now: number,
): { from: number; to: number } | string {
  if (preset !== 'custom') return { from: now - Number(preset) * dayMs, to: now };
  const from = new Date(`${customFrom}T00:00:00`).getTime();
  const to = new Date(`${customTo}T00:00:00`).getTime() + dayMs;
  if (!Number.isFinite(from) || !Number.isFinite(to)) return 'Choose both dates.';
  if (from >= to) return 'The first day must not be after the last.';
  return { from, to };
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  return search.toString();
}

export function Dashboard() {
  const [preset, setPreset] = useState<Preset>('30');
  const [customFrom, setCustomFrom] = useState(() => localDate(Date.now() - 30 * dayMs));
  const [customTo, setCustomTo] = useState(() => localDate(Date.now()));
  const [journeyId, setJourneyId] = useState('');
  const [version, setVersion] = useState('');
  const [windowHours, setWindowHours] = useState(72);
  const [report, setReport] = useState<MetricsReport | null>(null);
  const [options, setOptions] = useState<MetricsReport['journeys']>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    const period = periodOf(preset, customFrom, customTo, Date.now());
    if (typeof period === 'string') {
      setError(period);
      return;
    }
    let cancelled = false;
    setLoading(true);
    setError(null);
    const base = { from: period.from, to: period.to, reopenWindowHours: windowHours };
    const filtered = call<MetricsReport>(
      'GET',
      `/metrics?${query({ ...base, journeyId: journeyId || undefined, version: journeyId && version ? version : undefined })}`,
    );
    // The choices of journey and version are what the period holds, whatever is selected.
    const all = journeyId ? call<MetricsReport>('GET', `/metrics?${query(base)}`) : filtered;
    Promise.all([filtered, all]).then(
      ([shown, everything]) => {
        if (cancelled) return;
        setReport(shown);
        setOptions(everything.journeys);
        setLoading(false);
      },
      (e: Error) => {
        if (cancelled) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [preset, customFrom, customTo, journeyId, version, windowHours, refresh]);

  const versions = useMemo(
    () => options.find((j) => j.journeyId === journeyId)?.versions.map((v) => v.version) ?? [],
    [options, journeyId],
  );

  return (
    <div className="page dashboard">
      <header className="page-head">
        <h1>Baton · Measures</h1>
        <nav>
          <a href="#/journeys">Journeys</a> <a href="#/inbox">Inbox</a>
        </nav>
      </header>

      <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          <span>Period</span>
          <select value={preset} onChange={(e) => setPreset(e.target.value as Preset)} aria-label="Period">
            <option value="1">Last 24 hours</option>
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="90">Last 90 days</option>
            <option value="custom">Custom dates…</option>
          </select>
        </label>
        {preset === 'custom' && (
          <>
            <label>
              <span>From</span>
              <input
                type="date"
                value={customFrom}
                onChange={(e) => setCustomFrom(e.target.value)}
                aria-label="First day"
              />
            </label>
            <label>
              <span>To</span>
              <input type="date" value={customTo} onChange={(e) => setCustomTo(e.target.value)} aria-label="Last day" />
            </label>
          </>
        )}
        <label>
          <span>Journey</span>
          <select
            value={journeyId}
            aria-label="Journey"
            onChange={(e) => {
              setJourneyId(e.target.value);
              setVersion('');
            }}
          >
            <option value="">All journeys</option>
            {options.map((j) => (
              <option key={j.journeyId} value={j.journeyId}>
                {j.journeyId}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Version</span>
          <select
            value={version}
            onChange={(e) => setVersion(e.target.value)}
            disabled={!journeyId}
            aria-label="Version"
          >
            <option value="">All versions</option>
            {versions.map((v) => (
              <option key={v} value={String(v)}>
                v{v}
              </option>
            ))}
          </select>
        </label>
        <label title="A resolved ticket reopened within this time after its resolution does not count as resolved">
          <span>Reopen window (hours)</span>
          <input
            type="number"
            min={1}
            max={8784}
            value={windowHours}
            onChange={(e) => setWindowHours(Math.max(1, Number(e.target.value) || 72))}
            aria-label="Reopen window in hours"
          />
        </label>
        <button type="button" onClick={() => setRefresh((n) => n + 1)}>
          Refresh
        </button>
        {loading && <span className="muted">Loading…</span>}
      </form>

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && <Report report={report} />}
    </div>
  );
}

function Report({ report }: { report: MetricsReport }) {
  const m = report.overall;
  const from = new Date(report.period.from).toLocaleString();
  const to = new Date(report.period.to).toLocaleString();
  const rows = report.journeys.flatMap((j) =>
    j.versions.map((v) => ({
      key: `${j.journeyId}@${v.version}`,
      journeyId: j.journeyId,
      version: v.version,
      measures: v.measures,
    })),
  );
  return (
    <>
      <p className="muted period">
        {from} – {to}
        {report.filter.journeyId && (
          <>
            {' '}
            · {report.filter.journeyId}
            {report.filter.version !== undefined && ` v${report.filter.version}`}
          </>
        )}
      </p>
      <Cards m={m} windowHours={report.reopenWindowHours} />

      <section className="panel" aria-labelledby="outcomes-h">
        <h2 id="outcomes-h">How conversations went</h2>
        <p className="muted">
          Deflection is shown with escalations and the total, never alone: "assumed" means the bot ended without a
          handoff and without the customer saying it worked.
        </p>
        <StackedBar
          title="Conversations by outcome"
          parts={[
            { label: 'Bot-resolved, confirmed', value: m.conversations.deflected.confirmed, color: '#1b7f3a' },
            { label: 'Bot-resolved, assumed', value: m.conversations.deflected.assumed, color: '#8cc99e' },
            { label: 'Handed off', value: m.conversations.escalated, color: '#e08a1e' },
            {
              label: 'In progress with the bot',
              value: Math.max(0, m.conversations.total - m.conversations.escalated - m.conversations.deflected.total),
              color: '#b8bfcc',
            },
          ]}
        />
      </section>

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
          <h2 id="rate-h">Resolution after handoff, per version</h2>
          {rows.length === 0 ? (
            <p className="muted">No conversations in this period.</p>
          ) : (
            <RateBars
              title="Resolution rate after handoff per journey version"
              rows={rows.map((row) => ({ label: row.key, rate: row.measures.handoffs.resolutionRate }))}
            />
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="versions-h">
        <h2 id="versions-h">Per journey and version</h2>
        <table className="measures" data-testid="versions-table">
          <thead>
            <tr>
              <th scope="col">Journey</th>
              <th scope="col">Conversations</th>
              <th scope="col">Handed off</th>
              <th scope="col">Bot-resolved (confirmed / assumed)</th>
              <th scope="col">CES</th>
              <th scope="col">CSAT</th>
              <th scope="col">Resolved after handoff</th>
              <th scope="col">Handle time p50 / p90</th>
              <th scope="col">Helpful summaries</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, measures: v }) => (
              <tr key={key} data-version={key}>
                <th scope="row">{key}</th>
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

      <section className="panel" aria-labelledby="failed-h">
        <h2 id="failed-h">Failed handoffs for the weekly review ({report.failedHandoffs.length})</h2>
        {report.failedHandoffs.length === 0 ? (
          <p className="muted">None in this period.</p>
        ) : (
          <table className="measures" data-testid="failed-handoffs">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
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
                    <a href={`#/inbox?ticket=${encodeURIComponent(row.ticketId)}`}>{row.ticketId}</a>
                  </td>
                  <td>
                    {row.journeyId}@{row.version}
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
    </>
  );
}

function Cards({ m, windowHours }: { m: Measures; windowHours: number }) {
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

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
