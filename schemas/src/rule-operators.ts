/**
 * The JSONLogic operators a journey's rules may use. Kept free of zod so that the workflow code
 * (engine/core/src/interpreter) can import it without bundling zod and every schema into each workflow: with
 * Temporal's reusable V8 context each cached workflow evaluates its own copy of the modules it
 * imports (about 1.5 MB of heap per workflow for zod and the schemas).
 *
 * json-logic-js also knows `log` (side effect) and accepts custom operations; neither belongs in a journey.
 */
export const ruleOperators = [
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  '!!',
  '!',
  'and',
  'or',
  'if',
  '?:',
  '%',
  '+',
  '-',
  '*',
  '/',
  'min',
  'max',
  'in',
  'cat',
  'substr',
  'merge',
  'var',
  'missing',
  'missing_some',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
] as const;
export type RuleOperator = (typeof ruleOperators)[number];
