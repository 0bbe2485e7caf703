/**
 * Small hand-drawn SVG charts (no chart library): each is an image with a title and a description
 * for screen readers, and every bar has its value written next to it.
 */

export interface Bar {
  label: string;
  value: number;
  color?: string;
}

/** Vertical bars, e.g. a score distribution (how many answered 1, 2, … 7). */
export function BarChart({ title, bars, unit = '' }: { title: string; bars: Bar[]; unit?: string }) {
  const width = 280;
  const height = 150;
  const top = 18;
  const bottom = 22;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const slot = width / Math.max(1, bars.length);
  const barWidth = Math.min(34, slot * 0.7);
  const description = bars.map((bar) => `${bar.label}: ${bar.value}${unit}`).join(', ');
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${description}`}>
      <title>{title}</title>
      <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} className="axis" />
      {bars.map((bar, index) => {
        const h = ((height - top - bottom) * bar.value) / max;
        const x = index * slot + (slot - barWidth) / 2;
        const y = height - bottom - h;
        return (
          <g key={bar.label}>
            <rect x={x} y={y} width={barWidth} height={h} rx={3} fill={bar.color ?? '#2458d6'} />
            <text x={x + barWidth / 2} y={y - 4} textAnchor="middle" className="value">
              {bar.value}
            </text>
            <text x={x + barWidth / 2} y={height - 6} textAnchor="middle" className="label">
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** One horizontal bar split into parts (e.g. how conversations ended), with a legend. */
export function StackedBar({ title, parts }: { title: string; parts: Bar[] }) {
  const width = 560;
  const total = parts.reduce((sum, part) => sum + part.value, 0);
  let x = 0;
  const description = parts.map((part) => `${part.label}: ${part.value}`).join(', ');
  return (
    <figure className="stacked">
      <svg
        className="chart"
        viewBox={`0 0 ${width} 28`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${title}. ${description} (of ${total})`}
      >
        <title>{title}</title>
        {total === 0 && <rect x={0} y={2} width={width} height={24} rx={4} className="empty" />}
        {parts.map((part) => {
          const w = total ? (width * part.value) / total : 0;
          const rect = <rect key={part.label} x={x} y={2} width={w} height={24} fill={part.color} />;
          x += w;
          return rect;
        })}
      </svg>
      <figcaption className="legend">
        {parts.map((part) => (
          <span key={part.label}>
            <i style={{ background: part.color }} aria-hidden="true" />
            {part.label} <b>{part.value}</b>
            {total > 0 && <span className="muted"> ({Math.round((100 * part.value) / total)} %)</span>}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Horizontal bars comparing one rate (0…1) across versions; "no data" where a version has none. */
export function RateBars({ title, rows }: { title: string; rows: { label: string; rate: number | null }[] }) {
  const width = 340;
  const rowHeight = 22;
  const labelWidth = 130;
  const height = rows.length * rowHeight + 4;
  const description = rows
    .map((row) => `${row.label}: ${row.rate === null ? 'no data' : `${Math.round(row.rate * 100)} %`}`)
    .join(', ');
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${description}`}>
      <title>{title}</title>
      {rows.map((row, index) => {
        const y = index * rowHeight + 2;
        const w = row.rate === null ? 0 : (width - labelWidth - 50) * row.rate;
        return (
          <g key={row.label}>
            <text x={0} y={y + 14} className="label">
              {row.label.length > 22 ? `${row.label.slice(0, 21)}…` : row.label}
            </text>
            <rect x={labelWidth} y={y + 2} width={width - labelWidth - 50} height={16} rx={3} className="track" />
            <rect x={labelWidth} y={y + 2} width={w} height={16} rx={3} fill="#1b7f3a" />
            <text x={width - 44} y={y + 14} className="value">
              {row.rate === null ? '—' : `${Math.round(row.rate * 100)} %`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
