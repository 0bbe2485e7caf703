/**
 * The worker's telemetry: Prometheus metrics (activity executions and failures by activity, their
 * duration, workflow tasks by workflow type) served on BATON_WORKER_METRICS_PORT, and OpenTelemetry
 * traces through Temporal's interceptors (BATON_OTEL_EXPORTER). Both are off unless configured.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Context as ActivityContext } from '@temporalio/activity';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import type {
  ActivityInboundCallsInterceptor,
  ActivityInterceptors,
  InjectedSinks,
  WorkerInterceptors,
} from '@temporalio/worker';
import { tracingFromEnv, workflowMetricsModule, type BatonMetricsSinks, type Tracing } from '@baton/telemetry';

type SpanProcessorArg = Parameters<typeof makeWorkflowExporter>[0];
type ResourceArg = Parameters<typeof makeWorkflowExporter>[1];

export interface WorkerMetrics {
  registry: Registry;
  activityExecutions: Counter<'activity' | 'outcome'>;
  activityFailures: Counter<'activity'>;
  activityDuration: Histogram<'activity'>;
  workflowTasks: Counter<'workflow_type'>;
}

export function createWorkerMetrics(options: { defaultMetrics?: boolean } = {}): WorkerMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'baton_worker_' });
  return {
    registry,
    activityExecutions: new Counter({
      name: 'baton_worker_activity_executions_total',
      help: 'Activity attempts run by this worker, by activity and outcome (completed, failed)',
      labelNames: ['activity', 'outcome'] as const,
      registers: [registry],
    }),
    activityFailures: new Counter({
      name: 'baton_worker_activity_failures_total',
      help: 'Activity attempts that failed (Temporal retries them per the retry policy), by activity',
      labelNames: ['activity'] as const,
      registers: [registry],
    }),
    activityDuration: new Histogram({
      name: 'baton_worker_activity_duration_seconds',
      help: 'Time of one activity attempt, by activity',
      labelNames: ['activity'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    workflowTasks: new Counter({
      name: 'baton_worker_workflow_tasks_total',
      help: 'Workflow tasks completed by this worker (replays not counted), by workflow type',
      labelNames: ['workflow_type'] as const,
      registers: [registry],
    }),
  };
}

/** Counts and times each activity attempt. */
class MetricsActivityInterceptor implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: ActivityContext,
    private readonly metrics: WorkerMetrics,
  ) {}

  async execute(
    input: Parameters<NonNullable<ActivityInboundCallsInterceptor['execute']>>[0],
    next: Parameters<NonNullable<ActivityInboundCallsInterceptor['execute']>>[1],
  ): Promise<unknown> {
    const activity = this.ctx.info.activityType;
    const stopTimer = this.metrics.activityDuration.startTimer({ activity });
    try {
      const result = await next(input);
      this.metrics.activityExecutions.inc({ activity, outcome: 'completed' });
      return result;
    } catch (error) {
      this.metrics.activityExecutions.inc({ activity, outcome: 'failed' });
      this.metrics.activityFailures.inc({ activity });
      throw error;
    } finally {
      stopTimer();
    }
  }
}

export interface WorkerTelemetryOptions {
  metrics?: WorkerMetrics;
  /** Traces: the span processor and resource spans from the workflow sandbox are exported with. */
  tracing?: Pick<Tracing, 'spanProcessor' | 'resource'>;
}

/** Interceptors and sinks for `Worker.create` (see createBatonWorker's `telemetry` option). */
export interface WorkerTelemetry {
  interceptors: WorkerInterceptors;
  sinks: InjectedSinks<BatonMetricsSinks> & Record<string, unknown>;
  /** Workflow interceptor modules, for a prebuilt bundle (bundleBatonWorkflows). */
  workflowModules: string[];
}

export function workerTelemetry(options: WorkerTelemetryOptions): WorkerTelemetry {
  const activity: ((ctx: ActivityContext) => ActivityInterceptors)[] = [];
  const workflowModules: string[] = [];
  const sinks: Record<string, unknown> = {};
  if (options.tracing) {
    activity.push((ctx) => ({
      inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
      outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
    }));
    workflowModules.push(require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'));
    // The interceptors package pins an older OpenTelemetry SDK in its types; the span objects are plain data.
    sinks.exporter = makeWorkflowExporter(
      options.tracing.spanProcessor as unknown as SpanProcessorArg,
      options.tracing.resource as unknown as ResourceArg,
    );
  }
  const metrics = options.metrics;
  if (metrics) {
    activity.push((ctx) => ({ inbound: new MetricsActivityInterceptor(ctx, metrics) }));
    workflowModules.push(workflowMetricsModule());
    sinks.batonMetrics = {
      workflowTask: {
        fn: (info: { workflowType: string }) => metrics.workflowTasks.inc({ workflow_type: info.workflowType }),
        callDuringReplay: false,
      },
    };
  }
  return { interceptors: { activity, workflowModules }, sinks: sinks as WorkerTelemetry['sinks'], workflowModules };
}

export interface RunningWorkerTelemetry {
  telemetry?: WorkerTelemetry;
  metrics?: WorkerMetrics;
  tracing?: Tracing;
  /** The metrics endpoint, when BATON_WORKER_METRICS_PORT is set. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/** Serves `GET /metrics` of the registry on host:port (port 0: a free one). */
export async function serveMetrics(
  registry: Registry,
  port: number,
  host = '0.0.0.0',
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the worker serves GET /metrics only\n');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (error: unknown) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${bound}/metrics` };
}

/**
 * Telemetry as the environment asks: BATON_WORKER_METRICS_PORT (and BATON_WORKER_METRICS_HOST,
 * default 0.0.0.0) serves metrics; BATON_OTEL_EXPORTER=console prints spans.
 */
export async function workerTelemetryFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RunningWorkerTelemetry> {
  const portText = env.BATON_WORKER_METRICS_PORT;
  let port: number | undefined;
  if (portText !== undefined && portText !== '') {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new Error(`BATON_WORKER_METRICS_PORT must be a port number, not "${portText}"`);
  }
  const tracing = tracingFromEnv('baton-worker', env);
  const metrics = port === undefined ? undefined : createWorkerMetrics();
  const served =
    metrics && port !== undefined
      ? await serveMetrics(metrics.registry, port, env.BATON_WORKER_METRICS_HOST || '0.0.0.0')
      : undefined;
  const telemetry =
    metrics || tracing ? workerTelemetry({ ...(metrics && { metrics }), ...(tracing && { tracing }) }) : undefined;
  return {
    ...(telemetry && { telemetry }),
    ...(metrics && { metrics }),
    ...(tracing && { tracing }),
    ...(served && { metricsUrl: served.url }),
    async close() {
      if (served) await new Promise<void>((resolve) => served.server.close(() => resolve()));
      await tracing?.shutdown();
    },
  };
}
