import type { Preset } from './period';
import type { JourneyOption, MetricsQuery } from './useMetrics';

/** Period (preset or custom days), journey, version and the reopen window, with Refresh. */
export function Filters({
  query,
  onChange,
  options,
  versions,
  loading,
  onRefresh,
}: {
  query: MetricsQuery;
  onChange: (change: Partial<MetricsQuery>) => void;
  options: JourneyOption[];
  versions: number[];
  loading: boolean;
  onRefresh: () => void;
}) {
  const { preset, customFrom, customTo, journeyId, version, windowHours } = query;
  return (
    <form className="filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        <span>Period</span>
        <select value={preset} onChange={(e) => onChange({ preset: e.target.value as Preset })} aria-label="Period">
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
              onChange={(e) => onChange({ customFrom: e.target.value })}
              aria-label="First day"
            />
          </label>
          <label>
            <span>To</span>
            <input
              type="date"
              value={customTo}
              onChange={(e) => onChange({ customTo: e.target.value })}
              aria-label="Last day"
            />
          </label>
        </>
      )}
      <label>
        <span>Journey</span>
        <select
          value={journeyId}
          aria-label="Journey"
          onChange={(e) => {
            onChange({ journeyId: e.target.value, version: '' });
          }}
        >
          <option value="">All journeys</option>
          {options.map((j) => (
            <option key={j.id} value={j.id}>
              {options.some((other) => other !== j && other.name === j.name) ? `${j.name} (${j.id})` : j.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Version</span>
        <select
          value={version}
          onChange={(e) => onChange({ version: e.target.value })}
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
          onChange={(e) => onChange({ windowHours: Math.max(1, Number(e.target.value) || 72) })}
          aria-label="Reopen window in hours"
        />
      </label>
      <button type="button" onClick={onRefresh}>
        Refresh
      </button>
      {loading && <span className="muted">Loading…</span>}
    </form>
  );
}
