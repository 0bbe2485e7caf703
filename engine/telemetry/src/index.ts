export { createApiMetrics, type ApiMetrics } from './metrics';
export {
  startTracing,
  traceExporterFromEnv,
  tracingClientInterceptors,
  tracingFromEnv,
  type TraceExporterName,
  type Tracing,
} from './tracing';
export type { BatonMetricsSinks } from './workflow-metrics';

/** Module path of the workflow interceptor that counts workflow tasks (for the worker's bundle). */
export function workflowMetricsModule(): string {
  return require.resolve('./workflow-metrics');
}
