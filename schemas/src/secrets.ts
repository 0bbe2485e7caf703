/**
 * Secret fields of activity outputs: an activity marks an output field secret (the SDK's zod
 * `.meta({ secret: true })`, `"x-baton-secret": true` in its manifest's JSON Schema), and wherever
 * the field's value would go (a conversation's views, a handoff packet, the AI) it reads "[secret]".
 * Here so that the core (views), the server and the worker's built-in activities share one rule.
 */
import type { CompiledJourney } from './compiled';
import type { JsonValue } from './common';

/** What a secret value reads as in every view, packet and log. */
export const secretMarker = '[secret]';

/** A variable path whose value is secret: the variable, then the fields inside it (`['reset', 'resetId']`). */
export type SecretPath = readonly string[];

/** An activity's output JSON Schema as the catalog keeps it. */
export type OutputSchemas = ReadonlyMap<string, { output: Record<string, unknown> }>;

function secretFieldsOf(schema: unknown, at: string[], into: string[][]): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  if (node['x-baton-secret'] === true) {
    into.push(at);
    return;
  }
  const properties = node.properties;
  if (properties && typeof properties === 'object')
    for (const [name, field] of Object.entries(properties)) secretFieldsOf(field, [...at, name], into);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = node[key];
    if (Array.isArray(options)) for (const option of options) secretFieldsOf(option, at, into);
  }
}

/**
 * The variable paths that hold secrets: each activity node's output variable, then the fields its
 * activity's output schema marks `"x-baton-secret": true` (zod `.meta({ secret: true })` in the SDK).
 */
export function secretVariablePaths(journey: Pick<CompiledJourney, 'nodes'>, activities: OutputSchemas): SecretPath[] {
  const paths: string[][] = [];
  for (const node of Object.values(journey.nodes)) {
    if (node.type !== 'activity') continue;
    const { activity, output } = node.data as { activity?: unknown; output?: unknown };
    if (typeof activity !== 'string' || typeof output !== 'string' || output === '') continue;
    const schema = activities.get(activity)?.output;
    if (schema) secretFieldsOf(schema, [output], paths);
  }
  return paths;
}

function redactAt(value: JsonValue, path: readonly string[]): JsonValue {
  if (path.length === 0) return secretMarker;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.prototype.hasOwnProperty.call(value, head)) return value;
  return { ...value, [head]: redactAt(value[head] as JsonValue, rest) };
}

/** The variables with every secret value replaced by "[secret]" (a copy; the input is left alone). */
export function redactSecrets(
  vars: Readonly<Record<string, JsonValue>>,
  secrets: readonly SecretPath[],
): Record<string, JsonValue> {
  let out: Record<string, JsonValue> = { ...vars };
  for (const path of secrets) {
    const [variable, ...rest] = path;
    if (variable === undefined || !Object.prototype.hasOwnProperty.call(out, variable)) continue;
    out = { ...out, [variable]: redactAt(out[variable] as JsonValue, rest) };
  }
  return out;
}

function valueAt(value: JsonValue | undefined, path: readonly string[]): JsonValue | undefined {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !Object.prototype.hasOwnProperty.call(at, key))
      return undefined;
    at = at[key];
  }
  return at;
}

/** The secret values the variables hold now, as text (to hide them where they were written out, e.g. a path note). */
export function secretTexts(vars: Readonly<Record<string, JsonValue>>, secrets: readonly SecretPath[]): string[] {
  const texts = new Set<string>();
  for (const [variable, ...rest] of secrets) {
    if (variable === undefined) continue;
    const value = valueAt(vars[variable], rest);
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    // A tiny value (a boolean, a digit) would blank out unrelated text; such a "secret" protects nothing.
    if (text.length >= 4) texts.add(text);
  }
  return [...texts];
}

/** The text with each secret replaced by "[secret]". */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(secretMarker);
  return out;
}
