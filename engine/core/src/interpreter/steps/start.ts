import type { NodeStep } from '../run';

export const startStep: NodeStep<'start'> = {
  enter: () => ({ go: 'next' }),
};
