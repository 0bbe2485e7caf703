import type { ActivityManifest } from '@baton/schemas';
import { builtinActivities } from '@baton/workers/src/activities/builtin';
import { manifestOf, type ActivityDefinition } from '@baton/workers/src/sdk';
import { exampleActivities } from '@baton/examples';

/**
 * The activity catalog the CLI checks journeys against (`validate`, `compile`, `test`, `publish`):
 * what the repository's worker registers (workers/src/main.ts): Baton's built-in activities and the
 * examples' custom ones, with their input and output JSON Schemas.
 */
export function catalogDefinitions(): ActivityDefinition[] {
  return [...builtinActivities, ...exampleActivities];
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
