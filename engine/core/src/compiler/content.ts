import { formValues, nodeKinds, type JourneyNode, type JsonValue, type NodeKind, type NodeOf } from '@baton/schemas';
import { inspectRule, ruleLimits } from '../interpreter/rules';
import { templatePaths } from '../interpreter/template';
import { kindRuntimes, type ActivityCatalog, type KindCheckContext, type KindRuntime } from '../kinds';

const utf8 = new TextEncoder();

/**
 * A node's templates and rules, found through its kind's form (every `template` and `rule` /
 * `expression` field, nested lists included): rules must be valid, and both may only read known
 * variables. Then the kind's own check, if it has one (e.g. the activity catalog).
 */
export function checkNodeContent(node: JourneyNode, knownRoots: ReadonlySet<string>, context: KindCheckContext): void {
  const { at, error, warning } = context;
  const nodeId = node.id;
  for (const { field, path, value } of formValues(nodeKinds[node.type].form.fields, node.data)) {
    if (field.control === 'template' && field.check !== false && typeof value === 'string') {
      for (const read of templatePaths(value)) {
        const root = read.split('.')[0] as string;
        if (!knownRoots.has(root))
          warning([...at, 'data', ...path], `template reads unknown variable "${root}"`, 'unknown_variable', {
            nodeId,
          });
      }
    }
    const isRule = (field.control === 'rule' && field.check !== false) || field.control === 'expression';
    const rules: [(string | number)[], JsonValue][] = isRule
      ? [[path, value as JsonValue]]
      : field.control === 'activityInput' && value !== null && typeof value === 'object'
        ? Object.entries(value as Record<string, JsonValue>).map(([key, rule]) => [[...path, key], rule])
        : [];
    for (const [rulePath, rule] of rules) {
      const { problems, vars } = inspectRule(rule);
      for (const problem of problems)
        error([...at, 'data', ...rulePath, ...problem.path], problem.message, problem.code ?? 'bad_rule', { nodeId });
      const bytes = utf8.encode(JSON.stringify(rule) ?? '').length;
      if (bytes > ruleLimits.maxBytes)
        error(
          [...at, 'data', ...rulePath],
          `a rule has at most ${ruleLimits.maxBytes} bytes as JSON, this one has ${bytes}`,
          'rule_too_large',
          { nodeId },
        );
      for (const read of vars) {
        const root = read.split('.')[0] as string;
        if (!knownRoots.has(root))
          warning([...at, 'data', ...rulePath], `rule reads unknown variable "${root}"`, 'unknown_variable', {
            nodeId,
          });
      }
    }
  }
  runtimeOf(node.type).check?.(node as NodeOf<NodeKind>, context);
}

/** The node's data as it runs (the kind may add to it, e.g. an activity's task queue from the catalog). */
export function compiledData(node: JourneyNode, activities: ActivityCatalog | undefined): Record<string, unknown> {
  const runtime = runtimeOf(node.type);
  return runtime.compiledData
    ? runtime.compiledData(node as NodeOf<NodeKind>, activities)
    : (node.data as Record<string, unknown>);
}

/** One kind's runtime, typed for any node (the registry is keyed by kind, so they always match). */
function runtimeOf(kind: NodeKind): KindRuntime<NodeKind> {
  return kindRuntimes[kind] as unknown as KindRuntime<NodeKind>;
}
