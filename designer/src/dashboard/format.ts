// How the dashboard writes its numbers: rates, means, durations, counts.

export const pct = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)} %`);
export const mean = (value: number | null, digits = 1) => (value === null ? '—' : value.toFixed(digits));

export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
