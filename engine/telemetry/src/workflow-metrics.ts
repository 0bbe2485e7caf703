/**
 * Workflow interceptor module (bundled into the workflow sandbox when worker metrics are on):
 * reports each workflow task the worker completes through a sink, outside the sandbox, where it is
 * counted. Sinks are not called while a workflow replays, so a task is counted once.
 */
import { proxySinks, workflowInfo, type Sinks, type WorkflowInterceptors } from '@temporalio/workflow';

export interface BatonMetricsSinks extends Sinks {
  batonMetrics: {
    workflowTask(workflowType: string, commands: number): void;
  };
}

const { batonMetrics } = proxySinks<BatonMetricsSinks>();

export const interceptors = (): WorkflowInterceptors => ({
  internals: [
    {
      concludeActivation(input, next) {
        batonMetrics.workflowTask(workflowInfo().workflowType, input.commands.length);
        return next(input);
      },
    },
  ],
});
