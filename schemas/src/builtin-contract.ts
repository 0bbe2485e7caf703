/** The shape of a built-in activity contract and the helper that types one. */
import type { z } from 'zod';
import type { RetryPolicy } from './activity';
import type { BuiltinActivityName } from './builtin-activity-names';

/** A built-in activity without its implementation: what the catalog, the worker and the simulators share. */
export interface BuiltinActivityContract<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly name: BuiltinActivityName;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly timeoutSeconds: number;
  readonly retry?: Partial<RetryPolicy>;
}

export function contract<I extends z.ZodType, O extends z.ZodType>(
  definition: BuiltinActivityContract<I, O>,
): BuiltinActivityContract<I, O> {
  return definition;
}
