import type { JsonValue } from '@baton/schemas';
import { evaluateRule } from '../../interpreter/rules';
import type { NodeStep } from '../../interpreter/run';

export function toJsonValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch {
    return null;
  }
}

export const setStep: NodeStep<'set'> = {
  enter(run, node) {
    for (const assignment of node.data.assign) {
      // Each assignment sees the ones before it.
      run.state.vars[assignment.variable] = toJsonValue(evaluateRule(assignment.value, run.context()));
    }
    return { go: 'next' };
  },
};
