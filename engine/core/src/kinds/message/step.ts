import type { NodeStep } from '../../interpreter/run';

export const messageStep: NodeStep<'message'> = {
  enter(run, node) {
    run.say(run.render(node.data.text));
    return { go: 'next' };
  },
};
