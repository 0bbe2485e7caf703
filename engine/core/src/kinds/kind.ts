import type { ActivityManifest, NodeKind, NodeOf } from '@baton/schemas';
import type { NodeStep } from '../interpreter/run';

/** Known activities by name, as the compiler receives them. */
export type ActivityCatalog = ReadonlyMap<
  string,
  Pick<ActivityManifest, 'name' | 'input'> & Partial<Pick<ActivityManifest, 'taskQueue'>>
>;

export type Report = (
  path: (string | number)[],
  message: string,
  code: string,
  ids?: { nodeId?: string; edgeId?: string },
) => void;

/** What a kind's compiler check may use besides the node. */
export interface KindCheckContext {
  /** Path of the node in the journey file, e.g. ['nodes', 3]. */
  at: (string | number)[];
  activities: ActivityCatalog | undefined;
  error: Report;
  warning: Report;
}

/**
 * The engine's half of a node kind (the contract half, schema and form, is `nodeKinds` in
 * @baton/schemas): how a node of the kind runs, and what the compiler checks and adds beyond what
 * its form says (its templates, rules and written variables are checked from the form for every kind).
 * Type-only imports of the kinds: the interpreter, and so the workflow bundle, stays free of zod.
 */
export interface KindRuntime<K extends NodeKind> {
  step: NodeStep<K>;
  check?: (node: NodeOf<K>, context: KindCheckContext) => void;
  /** The node's data as it runs, when the compiler adds to what the file says. */
  compiledData?: (node: NodeOf<K>, activities: ActivityCatalog | undefined) => Record<string, unknown>;
}

export function defineKindRuntime<K extends NodeKind>(runtime: KindRuntime<K>): KindRuntime<K> {
  return runtime;
}
