import type { ActivityManifest } from '@baton/schemas';
import { builtinActivities } from '@baton/worker';
import { loadActivityModules } from '@baton/activity-sdk/modules';
import { manifestOf, type ActivityDefinition } from '@baton/activity-sdk';

/**
 * The activity catalog the CLI checks journeys against (`validate`, `compile`, `test`, `publish`):
 * what a worker started here registers (workers/worker/src/main.ts): Baton's built-in activities and the
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
