import { builtinActivityContracts, type ActivityManifest } from '@baton/schemas';
import { loadActivityModules } from '@baton/activity-sdk/modules';
import { manifestOf, type ActivityDefinition } from '@baton/activity-sdk';

/** What the catalog needs of an activity: its name, contracts and palette facts, not its implementation. */
export type CatalogEntry = Omit<ActivityDefinition, 'run'>;

/**
 * The activity catalog the CLI checks journeys against (`validate`, `compile`, `test`, `publish`):
 * what a worker started here registers (workers/worker/src/main.ts): Baton's built-in activities (their
 * contracts in @baton/schemas) and the custom ones of BATON_ACTIVITY_MODULES (the examples by default),
 * with their JSON Schemas.
 */
export function catalogDefinitions(): CatalogEntry[] {
  const builtins: CatalogEntry[] = builtinActivityContracts.map((contract) => ({ ...contract, builtin: true }));
  return [...builtins, ...loadActivityModules()];
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
