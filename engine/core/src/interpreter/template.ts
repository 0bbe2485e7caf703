import type { JsonValue } from '@baton/schemas';

const placeholder = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}/g;

/** Paths a template refers to, e.g. `Hi {{customer.name}}` → ["customer.name"]. */
export function templatePaths(template: string): string[] {
  return Array.from(template.matchAll(placeholder), (match) => match[1] as string);
}

export function lookupPath(context: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = context;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value as JsonValue);
}

/** Renders `{{path}}` placeholders; a missing value renders as an empty string, never as code. */
export function renderTemplate(template: string, context: Readonly<Record<string, unknown>>): string {
  return template.replace(placeholder, (_match, path: string) => display(lookupPath(context, path)));
}
