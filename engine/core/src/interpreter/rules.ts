import jsonLogic from 'json-logic-js';
import type { JsonValue } from '@baton/schemas';
// Not from the package's index: that would bundle zod and every schema into each workflow (see the module).
import { ruleOperators } from '@baton/schemas/rule-operators';

const allowed = new Set<string>(ruleOperators);

export interface RuleProblem {
  /** Path inside the rule, e.g. ["and", 1, ">"]. */
  path: (string | number)[];
  message: string;
}

/**
 * Checks that a rule only uses the allowed operators and well-formed operations, and collects the
 * `var` paths it reads (for unknown-variable warnings). Literals are fine anywhere.
 */
export function inspectRule(rule: unknown): { problems: RuleProblem[]; vars: string[] } {
  const problems: RuleProblem[] = [];
  const vars: string[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...path, index]));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const keys = Object.keys(node);
    if (keys.length !== 1) {
      problems.push({
        path,
        message: `an operation is an object with exactly one operator key, found ${keys.length} keys`,
      });
      return;
    }
    const operator = keys[0] as string;
    const args = (node as Record<string, unknown>)[operator];
    if (!allowed.has(operator)) {
      problems.push({ path: [...path, operator], message: `unknown or forbidden rule operator "${operator}"` });
      return;
    }
    if (operator === 'var') {
      const first = Array.isArray(args) ? args[0] : args;
      if (typeof first === 'string' && first !== '') vars.push(first);
      else if (typeof first !== 'number' && !(first === '' || first === null || first === undefined)) {
        problems.push({ path: [...path, operator], message: '"var" takes a path string' });
      }
      return;
    }
    walk(args, [...path, operator]);
  };
  walk(rule, []);
  return { problems, vars };
}

/** Evaluates a rule over a context. Rules were inspected at compile time; evaluation errors read as false. */
export function evaluateRule(rule: JsonValue | undefined, context: Readonly<Record<string, unknown>>): unknown {
  if (rule === undefined) return undefined;
  try {
    return jsonLogic.apply(rule as Parameters<typeof jsonLogic.apply>[0], context);
  } catch {
    return undefined;
  }
}

export function ruleHolds(rule: JsonValue, context: Readonly<Record<string, unknown>>): boolean {
  return jsonLogic.truthy(evaluateRule(rule, context));
}
