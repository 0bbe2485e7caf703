import type { JsonValue } from '@baton/schemas';
// Not from the package's index: that would bundle zod and every schema into each workflow (see the module).
import { ruleOperators } from '@baton/schemas/rule-operators';
import { RuleBudgetExceeded, applyRule, truthy } from './rule-evaluator';

export { RuleBudgetExceeded, ruleBudget } from './rule-evaluator';

const allowed = new Set<string>(ruleOperators);

/** What the compiler accepts in one rule (docs/journeys.md, "Limits"). */
export const ruleLimits = {
  /** Levels of nesting (an operation, or a list inside a list); an operation's own argument list is no level. */
  maxDepth: 32,
  /** The rule as JSON, in UTF-8 bytes. */
  maxBytes: 16_384,
  /**
   * Static cost: each operation and literal counts one; the body of map/filter/reduce/all/some/none counts
   * once per item of its data, the length of a literal list or else `assumedItems`, so nesting multiplies.
   */
  maxCost: 100_000,
  assumedItems: 100,
} as const;

const collectionOperators = new Set(['map', 'filter', 'reduce', 'all', 'some', 'none']);

export interface RuleProblem {
  /** Path inside the rule, e.g. ["and", 1, ">"]. */
  path: (string | number)[];
  message: string;
  /** `bad_rule` unless a limit was passed. */
  code?: 'rule_too_deep' | 'rule_too_costly';
}

interface Visit {
  node: unknown;
  path: (string | number)[];
  depth: number;
}

/**
 * Checks that a rule only uses the allowed operators and well-formed operations, in every argument
 * position (a `var`'s default too), that it nests at most `ruleLimits.maxDepth` levels and that its
 * static cost stays within `ruleLimits.maxCost`; collects the `var` paths it reads (for unknown-variable
 * warnings). Literals are fine anywhere. Iterative: a rule nested thousands deep is a diagnostic, not a
 * stack overflow.
 */
export function inspectRule(rule: unknown): { problems: RuleProblem[]; vars: string[] } {
  const problems: RuleProblem[] = [];
  const vars: string[] = [];
  let tooDeep = false;
  const pending: Visit[] = [{ node: rule, path: [], depth: 0 }];
  while (pending.length) {
    const { node, path, depth } = pending.pop() as Visit;
    if (node === null || typeof node !== 'object') continue;
    if (depth > ruleLimits.maxDepth) {
      if (!tooDeep)
        problems.push({
          path,
          message: `the rule nests deeper than ${ruleLimits.maxDepth} levels`,
          code: 'rule_too_deep',
        });
      tooDeep = true;
      continue;
    }
    const children: Visit[] = [];
    if (Array.isArray(node)) {
      node.forEach((item, index) => children.push({ node: item, path: [...path, index], depth: depth + 1 }));
    } else {
      const keys = Object.keys(node);
      if (keys.length !== 1) {
        problems.push({
          path,
          message: `an operation is an object with exactly one operator key, found ${keys.length} keys`,
        });
        continue;
      }
      const operator = keys[0] as string;
      const args = (node as Record<string, unknown>)[operator];
      const at = [...path, operator];
      if (!allowed.has(operator)) {
        problems.push({ path: at, message: `unknown or forbidden rule operator "${operator}"` });
        continue;
      }
      if (operator === 'var') {
        const first = Array.isArray(args) ? (args[0] as unknown) : args;
        if (typeof first === 'string' && first !== '') vars.push(first);
        else if (typeof first !== 'number' && !(first === '' || first === null || first === undefined)) {
          problems.push({ path: at, message: '"var" takes a path string' });
        }
        // The default (and anything after it) is evaluated like any other argument.
        if (Array.isArray(args))
          args.forEach((item, index) => {
            if (index > 0) children.push({ node: item, path: [...at, index], depth: depth + 1 });
          });
      } else if (Array.isArray(args)) {
        // An operation's argument list is no level of its own.
        args.forEach((item, index) => children.push({ node: item, path: [...at, index], depth: depth + 1 }));
      } else {
        children.push({ node: args, path: at, depth: depth + 1 });
      }
    }
    // Reversed, so that problems come out in document order.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index] as Visit);
  }
  if (!tooDeep) {
    const cost = staticCost(rule);
    if (cost > ruleLimits.maxCost)
      problems.push({
        path: [],
        message: `the rule may take about ${cost} operations; at most ${ruleLimits.maxCost} (nested map/filter/reduce/all/some/none multiply)`,
        code: 'rule_too_costly',
      });
  }
  return { problems, vars };
}

/** See `ruleLimits.maxCost`. Recursive, but only over a rule within `ruleLimits.maxDepth`. */
function staticCost(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + staticCost(item), 1);
  if (node === null || typeof node !== 'object') return 1;
  const keys = Object.keys(node);
  if (keys.length !== 1) return 1;
  const operator = keys[0] as string;
  const raw = (node as Record<string, unknown>)[operator];
  const args: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (!collectionOperators.has(operator)) return args.reduce((sum: number, arg) => sum + staticCost(arg), 1);
  const [data, body, ...rest] = args;
  const items = Array.isArray(data) ? data.length : ruleLimits.assumedItems;
  return rest.reduce(
    (sum: number, arg) => sum + staticCost(arg),
    1 + staticCost(data) + Math.max(1, items) * staticCost(body),
  );
}

/**
 * Evaluates a rule over a context. Rules were inspected at compile time; evaluation errors read as
 * undefined (false), except a rule that runs past its budget: that throws `RuleBudgetExceeded`, and the
 * interpreter ends the conversation with the reason (see `ruleGuarded` in ./run).
 */
export function evaluateRule(rule: JsonValue | undefined, context: Readonly<Record<string, unknown>>): unknown {
  if (rule === undefined) return undefined;
  try {
    return applyRule(rule, context);
  } catch (thrown) {
    if (thrown instanceof RuleBudgetExceeded) throw thrown;
    return undefined;
  }
}

export function ruleHolds(rule: JsonValue, context: Readonly<Record<string, unknown>>): boolean {
  return truthy(evaluateRule(rule, context));
}
