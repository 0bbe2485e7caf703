import { ruleHolds } from '../../interpreter/rules';
import type { NodeStep } from '../../interpreter/run';

export const conditionStep: NodeStep<'condition'> = {
  enter(run, node) {
    const context = run.context();
    const rule = node.data.rules.find((candidate) => ruleHolds(candidate.when, context));
    if (rule) {
      run.note(rule.label ?? rule.id);
      return { go: rule.id };
    }
    return { go: 'else' };
  },
};
