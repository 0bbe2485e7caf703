import { currentSchemaVersion, journeySchemaUrl } from '@baton/schemas';

/**
 * The upgrade path of journey files: a registry of steps, each taking a file from `schemaVersion` n
 * to n + 1, applied in order up to `currentSchemaVersion`. `baton migrate` rewrites files with it;
 * the compiler itself only reads the current version (and refuses newer ones). Pure, like the rest
 * of the compiler: no Node API, so the designer can upgrade an imported file too.
 *
 * Versions:
 * - 0 (or no `schemaVersion` at all): files written before `schemaVersion` existed. No `$schema`,
 *   `version` may be missing, and nodes and edges may carry what the React Flow editor adds but
 *   Baton does not keep (selection and drag state, measured size and absolute position, styling,
 *   edge type, label and marker), which the current schema refuses as unknown keys.
 * - 1: the current format (`schemas/src/journey.ts`).
 */

export type JourneyDocument = { [key: string]: unknown };

export interface UpgradeContext {
  /**
   * What `$schema` to write when a step adds it: the path of `schemas/journey.schema.json` relative
   * to the file when the file is in the repository (the CLI computes it), else the published URL.
   */
  schemaRef: string;
}

export interface UpgradeStep {
  from: number;
  to: number;
  /** What the step does, as `baton migrate` reports it. */
  description: string;
  /** A new document (the input is a private copy the step may change). */
  upgrade(doc: JourneyDocument, context: UpgradeContext): JourneyDocument;
}

export type UpgradeResult =
  { journey: JourneyDocument; from: number; to: number; applied: string[] } | { error: string; path: string };

/** Node keys the React Flow editor adds that Baton does not keep (`width` and `height` it does keep, as layout). */
export const editorOnlyNodeKeys = [
  'selected',
  'dragging',
  'measured',
  'positionAbsolute',
  'style',
  'className',
] as const;
/** Edge keys the React Flow editor adds that Baton does not keep. */
export const editorOnlyEdgeKeys = ['selected', 'animated', 'style', 'type', 'label', 'markerEnd'] as const;

function isDocument(value: unknown): value is JourneyDocument {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function without(value: unknown, keys: readonly string[]): unknown {
  if (!isDocument(value)) return value;
  const out: JourneyDocument = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, so that a "__proto__" key stays data (as JSON.parse keeps it).
    if (!keys.includes(key))
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export const upgradeSteps: readonly UpgradeStep[] = [
  {
    from: 0,
    to: 1,
    description:
      "schemaVersion 1, $schema added, React Flow editor-only keys removed (the canvas viewport; nodes' and edges' editor state), a missing version set to 0",
    upgrade(doc, context) {
      const out = without({ ...doc, schemaVersion: 1 }, ['viewport']) as JourneyDocument;
      if (typeof out.$schema !== 'string') out.$schema = context.schemaRef;
      if (out.version === undefined) out.version = 0;
      if (Array.isArray(out.nodes)) out.nodes = out.nodes.map((node) => without(node, editorOnlyNodeKeys));
      if (Array.isArray(out.edges)) out.edges = out.edges.map((edge) => without(edge, editorOnlyEdgeKeys));
      return out;
    },
  },
];

/** The schemaVersion a file is written in: a missing one is 0 (files from before it existed). */
export function schemaVersionOf(raw: unknown): { version: number } | { error: string; path: string } {
  if (!isDocument(raw)) return { error: 'a journey file is a JSON object', path: '' };
  const version = raw.schemaVersion;
  if (version === undefined) return { version: 0 };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return {
      error: `schemaVersion must be a whole number from 0 to ${currentSchemaVersion}, not ${JSON.stringify(version)}`,
      path: '/schemaVersion',
    };
  }
  if (version > currentSchemaVersion) {
    return {
      error: `schemaVersion ${version} is newer than this Baton (${currentSchemaVersion}); upgrade Baton`,
      path: '/schemaVersion',
    };
  }
  return { version };
}

/**
 * Applies the upgrade steps from the file's schemaVersion up to the current one. The input is not
 * modified. A current file comes back as it is, with `applied` empty (so upgrading is idempotent).
 */
export function upgradeJourney(
  raw: unknown,
  context: Partial<UpgradeContext> = {},
  steps: readonly UpgradeStep[] = upgradeSteps,
): UpgradeResult {
  const detected = schemaVersionOf(raw);
  if ('error' in detected) return detected;
  const full: UpgradeContext = { schemaRef: context.schemaRef ?? journeySchemaUrl };
  let doc = structuredClone(raw) as JourneyDocument;
  const applied: string[] = [];
  for (let version = detected.version; version < currentSchemaVersion; version += 1) {
    const step = steps.find((candidate) => candidate.from === version && candidate.to === version + 1);
    if (!step) return { error: `no upgrade from schemaVersion ${version} to ${version + 1}`, path: '/schemaVersion' };
    doc = step.upgrade(doc, full);
    applied.push(`${step.from}→${step.to}: ${step.description}`);
  }
  return { journey: doc, from: detected.version, to: currentSchemaVersion, applied };
}
