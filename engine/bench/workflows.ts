// Workflow bundle for the benchmark: the interpreter and its hand-written baselines side by side.
export { journeyWorkflow } from '@baton/workflow';
export { handwrittenPasswordReset, bareUpdateWorkflow } from './handwritten-workflow';
