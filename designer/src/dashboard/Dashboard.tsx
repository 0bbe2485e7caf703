/**
 * The measures dashboard (`#/dashboard`): the filters and the report for the chosen period. Beside it:
 * Filters, Report (Cards, charts, Tables), useMetrics (the data), period and format.
 */
import { useMemo, useState } from 'react';
import { Filters } from './Filters';
import { dayMs, localDate } from './period';
import { Report } from './Report';
import { useMetrics, type MetricsQuery } from './useMetrics';
import './dashboard.css';

export { duration } from './format';

export function Dashboard() {
  const [query, setQuery] = useState<MetricsQuery>(() => ({
    preset: '30',
    customFrom: localDate(Date.now() - 30 * dayMs),
    customTo: localDate(Date.now()),
    journeyId: '',
    version: '',
    windowHours: 72,
  }));
  const { report, options, error, loading, refresh } = useMetrics(query);
  const { journeyId } = query;

  const versions = useMemo(() => options.find((j) => j.id === journeyId)?.versions ?? [], [options, journeyId]);

  return (
    <div className="page dashboard">
      <header className="page-head">
        <h1>Baton · Measures</h1>
        <nav>
          <a href="#/journeys">Journeys</a> <a href="#/inbox">Inbox</a>
        </nav>
      </header>
      <Filters
        query={query}
        onChange={(change) => setQuery((current) => ({ ...current, ...change }))}
        options={options}
        versions={versions}
        loading={loading}
        onRefresh={refresh}
      />

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {report && <Report report={report} names={new Map(options.map((j) => [j.id, j.name]))} />}
    </div>
  );
}
