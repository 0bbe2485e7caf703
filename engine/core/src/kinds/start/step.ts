import type { NodeStep } from '../../interpreter/run';

export const startStep: NodeStep<'start'> = {
  enter: () => ({ go: 'next' }),
};
