/**
 * OpenTelemetry tracing through Temporal's interceptors: the client's start/update calls, the
 * workflow's run and the activities share one trace. The exporter is chosen by BATON_OTEL_EXPORTER
 * (`console`, or `none` — the default); tests pass an in-memory exporter.
 */
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import type { ClientInterceptors } from '@temporalio/client';

export type TraceExporterName = 'console' | 'none';

export interface Tracing {
  serviceName: string;
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Flushes what is buffered and stops the provider. */
  shutdown(): Promise<void>;
}

/** The exporter BATON_OTEL_EXPORTER names; undefined for `none` or unset. */
export function traceExporterFromEnv(env: NodeJS.ProcessEnv = process.env): SpanExporter | undefined {
  const name = (env.BATON_OTEL_EXPORTER ?? 'none').trim().toLowerCase();
  if (name === '' || name === 'none') return undefined;
  if (name === 'console') return new ConsoleSpanExporter();
  throw new Error(`BATON_OTEL_EXPORTER must be "console" or "none", not "${env.BATON_OTEL_EXPORTER ?? ''}"`);
}

/**
 * Registers a global tracer provider (and the W3C trace-context propagator the interceptors use to
 * carry the trace through Temporal headers) that sends every span to `exporter`.
 */
export function startTracing(serviceName: string, exporter: SpanExporter): Tracing {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName });
  const spanProcessor = new SimpleSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { serviceName, resource, spanProcessor, shutdown: () => provider.shutdown() };
}

/** Tracing as BATON_OTEL_EXPORTER asks, or undefined when it is off. */
export function tracingFromEnv(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  const exporter = traceExporterFromEnv(env);
  return exporter ? startTracing(serviceName, exporter) : undefined;
}

/**
 * Interceptors for the Temporal client: each start, signal, update and query gets a span, and its
 * context travels in the headers to the workflow. Without a registered provider they cost nothing.
 */
export function tracingClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}
