import { z } from 'zod';
import { JsonValueSchema } from './common';

/**
 * Rules are JSONLogic (https://jsonlogic.com) stored as data. Only these operators are allowed:
 * json-logic-js also knows `log` (side effect) and accepts custom operations; neither belongs in a journey.
 */
export const ruleOperators = [
  '==', '===', '!=', '!==', '>', '>=', '<', '<=', '!!', '!', 'and', 'or', 'if', '?:',
  '%', '+', '-', '*', '/', 'min', 'max', 'in', 'cat', 'substr', 'merge',
  'var', 'missing', 'missing_some', 'map', 'filter', 'reduce', 'all', 'none', 'some',
] as const;
export type RuleOperator = (typeof ruleOperators)[number];

/** A rule is any JSON value; its operators are checked by the compiler, which can name the exact path. */
export const Rule = JsonValueSchema.describe('JSONLogic expression over the conversation context');
export type Rule = z.infer<typeof Rule>;
