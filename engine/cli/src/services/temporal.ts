import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeArgs, ensureSearchAttributesAt } from '@baton/server/client';
import { findTool } from './paths';
import { freePort } from './ports';
import { describeExit, pollUntilReady, spawnManaged, startupError, type LogFn, type ManagedProcess } from './process';

export interface TemporalDevServerOptions {
  /** SQLite file for persistent state; omitted = in-memory (lost on exit). */
  dbFile?: string;
  /** Frontend gRPC port; a free one is picked when omitted. */
  port?: number;
  /** Web UI port; a free one is picked when omitted; `false` = headless. */
  uiPort?: number | false;
  /** Bind address (default 127.0.0.1). */
  ip?: string;
  /** Namespace to create and report (default "default", which always exists). */
  namespace?: string;
  /** Server log level (default "warn"). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Extra arguments for `temporal server start-dev`. */
  extraArgs?: string[];
  /** Path of the `temporal` binary; default `<batonHome>/bin/temporal`, then PATH. */
  executable?: string;
  /** How long to wait for the frontend to answer (default 60 s). */
  startTimeoutMs?: number;
  /** Receives every output line of the server, prefixed with "[temporal]". */
  log?: LogFn;
}

export interface TemporalDevServer {
  /** host:port of the frontend gRPC service. */
  address: string;
  /** Web UI URL, unless headless. */
  uiUrl?: string;
  namespace: string;
  /** SIGTERM, wait for exit (SIGKILL after 10 s). Idempotent. */
  stop(): Promise<void>;
}

export type TemporalServerHandle = TemporalDevServer & { kind: 'external' | 'dev-server' };

const NO_BINARY =
  'Temporal CLI not found: expected <BATON_HOME>/bin/temporal (default .baton/bin/temporal) or `temporal` on PATH. ' +
  'Run `bash scripts/bootstrap.sh` to install it.';

/**
 * Polls the frontend until `describeNamespace` succeeds, the deadline passes,
 * or `gaveUp()` returns a reason to stop (e.g. the server process died).
 */
export async function waitForTemporal(
  address: string,
  namespace: string,
  timeoutMs: number,
  gaveUp: () => string | undefined = () => undefined,
): Promise<void> {
  await pollUntilReady(
    `Temporal at ${address} (namespace "${namespace}") did not answer`,
    timeoutMs,
    gaveUp,
    async (remaining) => {
      // lazy + ensureConnected (not Connection.connect) so that a failed attempt's
      // gRPC channel is still closed in `finally` instead of leaking.
      const connection = Connection.lazy({ address, connectTimeout: Math.min(2_000, remaining) });
      try {
        await connection.ensureConnected();
        await connection.workflowService.describeNamespace({ namespace });
      } finally {
        await connection.close().catch(() => undefined);
      }
    },
    200,
  );
}

/**
 * `--search-attribute` only registers with a new database: a dev server reusing one made before an
 * attribute existed is given it here. A failure is logged, never fatal (conversations start without them).
 */
async function registerSearchAttributes(address: string, namespace: string, log: LogFn | undefined): Promise<void> {
  try {
    const added = await ensureSearchAttributesAt(address, namespace);
    if (added.length > 0) log?.(`[temporal] registered search attributes ${added.join(', ')}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log?.(`[temporal] could not register Baton's search attributes: ${message}`);
  }
}

/** Starts `temporal server start-dev` and waits until its frontend really answers. */
export async function startTemporalDevServer(opts: TemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const executable = opts.executable ?? findTool('temporal');
  if (executable === undefined) throw new Error(NO_BINARY);
  const ip = opts.ip ?? '127.0.0.1';
  const namespace = opts.namespace ?? 'default';
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const autoPorts = opts.port === undefined || opts.uiPort === undefined;
  const attempts = autoPorts ? 3 : 1;

  if (opts.dbFile !== undefined) mkdirSync(dirname(resolve(opts.dbFile)), { recursive: true });

  let lastErr: Error | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = opts.port ?? (await freePort(ip));
    let uiPort: number | undefined;
    if (opts.uiPort !== false) {
      uiPort = opts.uiPort ?? (await freePort(ip));
      while (uiPort === port) uiPort = await freePort(ip);
    }
    const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', opts.logLevel ?? 'warn'];
    if (opts.dbFile !== undefined) args.push('--db-filename', resolve(opts.dbFile));
    if (uiPort === undefined) args.push('--headless');
    else args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');
    if (namespace !== 'default') args.push('--namespace', namespace);
    // Baton's search attributes (BatonJourneyId …): registered with a fresh database; an older one gets them below.
    args.push(...devServerSearchAttributeArgs());
    if (opts.extraArgs) args.push(...opts.extraArgs);

    const address = `${ip}:${port}`;
    opts.log?.(`[temporal] starting ${executable} ${args.join(' ')}`);
    const proc = spawnManaged('temporal', executable, args, { log: opts.log });
    const started = Date.now();
    try {
      // The CLI prints "Temporal Server: host:port" once the frontend is up; probing only then
      // avoids talking to a foreign process that holds the port. Falls through after 15 s.
      await proc.waitForOutput(/Temporal Server:/, Math.min(15_000, timeoutMs));
      await waitForTemporal(address, namespace, Math.max(1_000, timeoutMs - (Date.now() - started)), () => {
        const info = proc.exitInfo();
        return info === undefined ? undefined : `Temporal dev server ${describeExit(info)} before it was ready`;
      });
      await registerSearchAttributes(address, namespace, opts.log);
      opts.log?.(`[temporal] ready at ${address} after ${Date.now() - started} ms`);
      return {
        address,
        uiUrl: uiPort === undefined ? undefined : `http://${ip}:${uiPort}`,
        namespace,
        stop: () => proc.stop(),
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      lastErr = startupError(proc, `Could not start the Temporal dev server (${address}): ${message}`);
      await proc.stop(2_000);
      const bindFailure = /address already in use|bind/i.test(proc.output.toString());
      if (!(autoPorts && bindFailure && proc.exitInfo() !== undefined)) break;
      opts.log?.(`[temporal] port clash, retrying with other ports (attempt ${attempt + 1}/${attempts})`);
    }
  }
  throw lastErr ?? new Error('Could not start the Temporal dev server');
}

/**
 * Uses the Temporal server at env TEMPORAL_ADDRESS (namespace env TEMPORAL_NAMESPACE,
 * default "default") when set — after checking it answers; otherwise starts a dev server.
 */
export async function connectOrStartTemporal(opts: TemporalDevServerOptions = {}): Promise<TemporalServerHandle> {
  const external = process.env.TEMPORAL_ADDRESS;
  if (external !== undefined && external !== '') {
    const namespace = opts.namespace ?? (process.env.TEMPORAL_NAMESPACE || 'default');
    await waitForTemporal(external, namespace, opts.startTimeoutMs ?? 30_000);
    opts.log?.(`[temporal] using external server ${external} (TEMPORAL_ADDRESS)`);
    return { kind: 'external', address: external, namespace, stop: async () => undefined };
  }
  const server = await startTemporalDevServer(opts);
  return { ...server, kind: 'dev-server' };
}

export type { ManagedProcess };
