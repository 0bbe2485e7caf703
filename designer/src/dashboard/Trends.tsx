/**
 * The trend over the period: one small hand-drawn SVG per measure (no chart library), per day or per
 * week as the API bucketed it. Counts are bars; CSAT is a line that breaks on days without answers.
 */
import type { MetricsReport } from './types';

type Point = MetricsReport['trend']['points'][number];

const dayLabel = (iso: string) =>
  new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A small chart of one series; `null` is "no data" (drawn as a gap, said as "no answers"). */
export function TrendChart({
  title,
  points,
  values,
  color,
  kind,
  max,
  summary,
}: {
  title: string;
  points: readonly Point[];
  values: readonly (number | null)[];
  color: string;
  kind: 'bars' | 'line';
  /** The top of the scale (CSAT: 5); the largest value otherwise. */
  max?: number;
  summary: string;
}) {
  const width = 260;
  const height = 84;
  const top = 6;
  const bottom = 18;
  const plot = height - top - bottom;
  const scale = max ?? Math.max(1, ...values.map((v) => v ?? 0));
  const slot = width / Math.max(1, values.length);
  const y = (v: number) => top + plot - (plot * v) / scale;
  const description = values
    .map((v, i) => `${points[i] ? dayLabel(points[i].start) : ''}: ${v === null ? 'no answers' : v}`)
    .join(', ');
  const first = points[0];
  const last = points[points.length - 1];
  const segments: string[][] = [];
  values.forEach((v, i) => {
    if (v === null) return void segments.push([]);
    if (segments.length === 0) segments.push([]);
    segments[segments.length - 1]!.push(`${(i * slot + slot / 2).toFixed(1)},${y(v).toFixed(1)}`);
  });
  return (
    <figure className="trend" data-testid={`trend-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`}>
      <figcaption>
        <span>{title}</span> <b>{summary}</b>
      </figcaption>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${description}`}>
        <title>{title}</title>
        <line x1={0} x2={width} y1={top + plot} y2={top + plot} className="axis" />
        {kind === 'bars' &&
          values.map((v, i) =>
            v ? (
              <rect
                key={i}
                x={i * slot + slot * 0.15}
                y={y(v)}
                width={Math.max(1, slot * 0.7)}
                height={top + plot - y(v)}
                rx={1.5}
                fill={color}
              />
            ) : null,
          )}
        {kind === 'line' && (
          <>
            {segments
              .filter((segment) => segment.length > 1)
              .map((segment, i) => (
                <polyline key={i} points={segment.join(' ')} fill="none" stroke={color} strokeWidth={2} />
              ))}
            {values.map((v, i) =>
              v === null ? null : <circle key={i} cx={i * slot + slot / 2} cy={y(v)} r={2.5} fill={color} />,
            )}
          </>
        )}
        {first && (
          <text x={0} y={height - 4} className="label">
            {dayLabel(first.start)}
          </text>
        )}
        {last && last !== first && (
          <text x={width} y={height - 4} textAnchor="end" className="label">
            {dayLabel(last.start)}
          </text>
        )}
      </svg>
    </figure>
  );
}

/** Conversations started, resolved by the bot, handed off, and CSAT, per day or week. */
export function Trends({ trend }: { trend: MetricsReport['trend'] }) {
  const { points } = trend;
  const total = (pick: (p: Point) => number) => points.reduce((sum, p) => sum + pick(p), 0);
  const csatCount = total((p) => p.csat.count);
  const csatMean = csatCount ? points.reduce((sum, p) => sum + (p.csat.mean ?? 0) * p.csat.count, 0) / csatCount : null;
  return (
    <section className="panel" aria-labelledby="trend-h">
      <h2 id="trend-h">
        Per {trend.bucket === 'day' ? 'day' : 'week'}
        {trend.since && <small className="muted"> (from {dayLabel(trend.since)}: the last 120 weeks)</small>}
      </h2>
      <div className="trends">
        <TrendChart
          title="Conversations started"
          points={points}
          values={points.map((p) => p.conversations)}
          color="#2458d6"
          kind="bars"
          summary={String(total((p) => p.conversations))}
        />
        <TrendChart
          title="Resolved by the bot"
          points={points}
          values={points.map((p) => p.resolvedByBot)}
          color="#1b7f3a"
          kind="bars"
          summary={String(total((p) => p.resolvedByBot))}
        />
        <TrendChart
          title="Handed off to an agent"
          points={points}
          values={points.map((p) => p.handedOff)}
          color="#e08a1e"
          kind="bars"
          summary={String(total((p) => p.handedOff))}
        />
        <TrendChart
          title="CSAT"
          points={points}
          values={points.map((p) => p.csat.mean)}
          color="#7b4bd1"
          kind="line"
          max={5}
          summary={csatMean === null ? 'no answers' : `${csatMean.toFixed(1)} / 5`}
        />
      </div>
    </section>
  );
}
