import type { NodeStep } from '../../interpreter/run';

export const waitStep: NodeStep<'wait'> = {
  enter: (run, node) => ({ wait: { kind: 'timer', nodeId: node.id, until: run.at + node.data.seconds * 1000 } }),
  resume: (_run, _node, event) => (event.type === 'timeout' ? { go: 'next' } : undefined),
};
