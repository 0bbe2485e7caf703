/** How the customer's sentiment moved, −1 (bottom) … 1 (top), one point per classified message. */
export function Sparkline({
  values,
  width = 120,
  height = 28,
}: {
  values: readonly number[];
  width?: number;
  height?: number;
}) {
  if (values.length === 0) return <span className="muted">no readings</span>;
  const pad = 3;
  const x = (i: number) => (values.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (values.length - 1));
  const y = (v: number) => pad + ((1 - Math.max(-1, Math.min(1, v))) / 2) * (height - 2 * pad);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const last = values[values.length - 1] ?? 0;
  const color = last <= -0.25 ? '#b3261e' : last >= 0.25 ? '#1b7f3a' : '#6b7385';
  return (
    <svg
      className="ib-spark"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`sentiment: ${values.map((v) => v.toFixed(2)).join(', ')}`}
    >
      <line x1={0} x2={width} y1={y(0)} y2={y(0)} stroke="#d3d8e2" strokeDasharray="3 3" />
      <polyline points={points} fill="none" stroke={color} strokeWidth={2} />
      {values.map((v, i) => (
        <circle key={i} cx={x(i)} cy={y(v)} r={2.5} fill={color} />
      ))}
    </svg>
  );
}
