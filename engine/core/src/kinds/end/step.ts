import type { NodeStep } from '../../interpreter/run';

export const endStep: NodeStep<'end'> = {
  enter(run, node) {
    if (node.data.message) run.say(run.render(node.data.message));
    return { end: node.data.outcome };
  },
};
