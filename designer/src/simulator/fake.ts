import type { JsonValue } from '@baton/schemas';

type Schema = Record<string, unknown>;

/**
 * A plausible value for a JSON Schema: the default or first example/enum when the schema has one,
 * else a value of its type (objects get their properties, required or not). The designer edits
 * it before it answers the activity call.
 */
export function sampleFromSchema(schema: unknown, depth = 0): JsonValue {
  if (!schema || typeof schema !== 'object' || depth > 8) return null;
  const s = schema as Schema;
  if (s.default !== undefined) return s.default as JsonValue;
  if (s.const !== undefined) return s.const as JsonValue;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0] as JsonValue;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0] as JsonValue;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) {
      const firstNonNull =
        options.find((option) => !(option && typeof option === 'object' && (option as Schema).type === 'null')) ??
        options[0];
      return sampleFromSchema(firstNonNull, depth + 1);
    }
  }
  const type = Array.isArray(s.type)
    ? (s.type.find((t) => t !== 'null') as string | undefined)
    : (s.type as string | undefined);
  switch (type ?? (s.properties ? 'object' : s.items ? 'array' : undefined)) {
    case 'object': {
      const out: { [key: string]: JsonValue } = {};
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      for (const [name, property] of Object.entries(properties)) out[name] = sampleFromSchema(property, depth + 1);
      return out;
    }
    case 'array':
      return s.items ? [sampleFromSchema(s.items, depth + 1)] : [];
    case 'string':
      if (s.format === 'email') return 'someone@example.com';
      if (s.format === 'date-time') return '2025-01-06T09:00:00.000Z';
      if (s.format === 'date') return '2025-01-06';
      if (s.format === 'uri' || s.format === 'url') return 'https://example.com/';
      return 'string';
    case 'integer':
      return typeof s.minimum === 'number' ? Math.ceil(s.minimum) : 1;
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return null;
  }
}
