// The journey's variables (activity results among them) as key/value lines an agent reads, not JSON.
import type { JsonValue } from '@baton/schemas';

const maxLines = 40;
const maxText = 200;

/** A primitive as text; long text cut. Secrets arrive from the server as "[secret]" and stay so. */
function text(value: string | number | boolean): string {
  const shown = String(value);
  return shown.length > maxText ? `${shown.slice(0, maxText - 1)}…` : shown;
}

/**
 * Dotted keys with their values: nested objects open into `order.status`, lists of plain values join
 * with commas, lists of objects number their items (`items.1.sku`). Empty values are left out.
 */
export function facts(variables: Record<string, JsonValue>): [string, string][] {
  const lines: [string, string][] = [];
  const walk = (key: string, value: JsonValue, depth: number) => {
    if (lines.length >= maxLines || value === null || value === '') return;
    if (typeof value !== 'object') return void lines.push([key, text(value)]);
    if (Array.isArray(value)) {
      if (value.length === 0) return;
      if (value.every((item) => item === null || typeof item !== 'object'))
        return void lines.push([key, text(value.filter((item) => item !== null).join(', '))]);
      if (depth >= 3) return void lines.push([key, `${value.length} items`]);
      value.forEach((item, i) => walk(`${key}.${i + 1}`, item, depth + 1));
      return;
    }
    const entries = Object.entries(value);
    if (depth >= 3) return void lines.push([key, `${entries.length} fields`]);
    for (const [child, inner] of entries) walk(`${key}.${child}`, inner, depth + 1);
  };
  for (const [key, value] of Object.entries(variables)) walk(key, value, 0);
  return lines;
}

/**
 * A step the bot tried, with an activity result written in it as JSON (`→ {"sent":true,…}`) read as
 * key: value pairs instead. Text that is not JSON stays as it is.
 */
export function readableStep(step: string): string {
  const at = step.search(/[{[]/);
  if (at === -1) return step;
  try {
    const parsed: unknown = JSON.parse(step.slice(at));
    if (parsed === null || typeof parsed !== 'object') return step;
    const pairs = facts(Array.isArray(parsed) ? { items: parsed as JsonValue } : (parsed as Record<string, JsonValue>));
    return `${step.slice(0, at)}${pairs.map(([key, value]) => `${key}: ${value}`).join(', ') || 'nothing'}`;
  } catch {
    return step;
  }
}
