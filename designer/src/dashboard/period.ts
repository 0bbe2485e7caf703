// The period the dashboard asks for, and the query string it asks with.

export type Preset = '1' | '7' | '30' | '90' | 'custom';
export const dayMs = 86_400_000;

export const localDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** The period as the API takes it: [from, to) in epoch ms. Custom dates are whole local days. */
export function periodOf(
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

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  return search.toString();
}
