import type { ActivityManifest } from '@baton/schemas';
import { builtinActivities } from '@baton/workers/builtin';
import { loadActivityModules } from '@baton/workers/modules';
import { manifestOf, type ActivityDefinition } from '@baton/workers/sdk';

/**
 * The activity catalog the CLI checks journeys against (`validate`, `compile`, `test`, `publish`):
 * what a worker started here registers (workers/src/main.ts): Baton's built-in activities and the
 * custom ones of BATON_ACTIVITY_MODULES (the examples by default), with their JSON Schemas.
 */
export function catalogDefinitions(): ActivityDefinition[] {
  return [...builtinActivities, ...loadActivityModules()];
}

export function catalogManifests(): ActivityManifest[] {
  return catalogDefinitions().map((definition) => manifestOf(definition));
}

let cached: ReadonlyMap<string, ActivityManifest> | undefined;

/** The catalog as the compiler takes it (`compileJourney(input, { activities })`). */
export function activityCatalog(): ReadonlyMap<string, ActivityManifest> {
  cached ??= new Map(catalogManifests().map((manifest) => [manifest.name, manifest]));
  return cached;
}
