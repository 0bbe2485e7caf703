// Workflow code: bundled by Temporal and run in its deterministic sandbox. Only the pure core may be imported here.
export { journeyWorkflow } from './journey-workflow';
export { customerErasureWorkflow } from './erasure-workflow';
export { retentionWorkflow } from './retention-workflow';
