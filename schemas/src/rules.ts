import { type z } from 'zod';
import { JsonValueSchema } from './common';

/**
 * Rules are JSONLogic (https://jsonlogic.com) stored as data. Only these operators are allowed (the
 * list lives in a zod-free module so that the workflow code can import it).
 */
export { ruleOperators, type RuleOperator } from './rule-operators';

/** A rule is any JSON value; its operators are checked by the compiler, which can name the exact path. */
export const Rule = JsonValueSchema.describe('JSONLogic expression over the conversation context');
export type Rule = z.infer<typeof Rule>;
