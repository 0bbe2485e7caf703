import { z } from 'zod';

/**
 * The defaults a kind's schema fills in (its `.default()`s), by field: what a field that the node's
 * data leaves out runs with. Read from the schema itself (a field parsed from nothing), never copied.
 */
export function schemaDefaults(data: z.ZodType): Record<string, unknown> {
  if (!(data instanceof z.ZodObject)) return {};
  const defaults: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(data.shape as Record<string, z.ZodType>)) {
    const parsed = field.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) defaults[key] = parsed.data;
  }
  return defaults;
}
