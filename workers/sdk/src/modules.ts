import { resolve } from 'node:path';
import type { ActivityDefinition } from './index';

/** The modules a worker (and the CLI's catalog) loads custom activities from, unless told otherwise. */
export const defaultActivityModules = '@baton/examples';

/**
 * Custom activities come from modules named in the environment (BATON_ACTIVITY_MODULES, comma
 * separated), each exporting `activities`, so a team ships its own without touching Baton.
 */
export function loadActivityModules(
  list: string = process.env.BATON_ACTIVITY_MODULES ?? defaultActivityModules,
): ActivityDefinition[] {
  const definitions: ActivityDefinition[] = [];
  for (const specifier of list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    // Relative paths are the operator's, so they resolve from the working directory.
    const resolved = specifier.startsWith('.') ? resolve(process.cwd(), specifier) : specifier;
    // The operator names the modules at run time, so they are required by path.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(resolved) as { activities?: unknown };
    if (!Array.isArray(loaded.activities))
      throw new Error(`activity module "${specifier}" has no "activities" array export`);
    definitions.push(...(loaded.activities as ActivityDefinition[]));
  }
  return definitions;
}
