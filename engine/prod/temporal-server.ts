/**
 * The real Temporal server (go.temporal.io/server v1.29.1, built by scripts/stack-prod-setup.sh into
 * ~/.cache/baton/temporal-server-v1.29.1) on PostgreSQL: its schemas set up and upgraded by
 * temporal-sql-tool, the server started from deploy/temporal/baton.yaml, the namespace registered
 * with a retention.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findTool, repoRoot, spawnManaged, waitForTemporal, type ManagedProcess } from '@baton/cli/services';
import { ensureSearchAttributesAt } from '@baton/server/client';
import type { Postgres } from './postgres';

export interface TemporalBuild {
  home: string;
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the module: temporal/versioned and visibility/versioned. */
  schema: string;
}

/** The built server, or why there is none (`scripts/stack-prod-setup.sh` builds it). */
export function findTemporalBuild(): TemporalBuild | { missing: string } {
  const script = join(repoRoot(), 'scripts', 'stack-prod-setup.sh');
  const result = spawnSync('bash', [script, '--paths'], { encoding: 'utf8' });
  if (result.status !== 0) return { missing: (result.stderr || result.stdout || 'unknown').trim() };
  return JSON.parse(result.stdout) as TemporalBuild;
}

export interface TemporalDatabases {
  user: string;
  password: string;
  database: string;
  visibilityDatabase: string;
}

/**
 * Creates the role and the two databases when missing, sets the versioning tables up on a fresh
 * database, then `update-schema` to the newest version shipped (a no-op when already there).
 */
export function setUpTemporalSchemas(build: TemporalBuild, postgres: Postgres, dbs: TemporalDatabases): string[] {
  const quoted = dbs.password.replace(/'/g, "''");
  const role = postgres.sql(`SELECT 1 FROM pg_roles WHERE rolname = '${dbs.user}'`).trim();
  if (role !== '1') postgres.sql(`CREATE ROLE ${dbs.user} LOGIN PASSWORD '${quoted}'`);
  else postgres.sql(`ALTER ROLE ${dbs.user} PASSWORD '${quoted}'`);
  const said: string[] = [];
  for (const [database, dir] of [
    [dbs.database, 'temporal'],
    [dbs.visibilityDatabase, 'visibility'],
  ] as const) {
    const exists = postgres.sql(`SELECT 1 FROM pg_database WHERE datname = '${database}'`).trim() === '1';
    if (!exists) postgres.sql(`CREATE DATABASE ${database} OWNER ${dbs.user}`);
    const tool = (args: string[]) =>
      execFileSync(
        build.sqlTool,
        [
          '--plugin',
          'postgres12',
          '--ep',
          postgres.host,
          '-p',
          String(postgres.port),
          '-u',
          dbs.user,
          '--pw',
          dbs.password,
          '--db',
          database,
          ...args,
        ],
        { encoding: 'utf8', stdio: 'pipe' },
      );
    const versioned =
      postgres.sql(`SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'`, database).trim() ===
      '1';
    if (!versioned) tool(['setup-schema', '-v', '0.0']);
    tool(['update-schema', '-d', join(build.schema, dir, 'versioned')]);
    const version = postgres.sql(`SELECT curr_version FROM schema_version`, database).trim();
    said.push(`${database} schema ${version}`);
  }
  return said;
}

export interface TemporalServerOptions {
  build: TemporalBuild;
  postgres: Postgres;
  dbs: TemporalDatabases;
  host: string;
  port: number;
  httpPort: number;
  /** First of eight consecutive internal ports (history, matching, worker, membership, metrics). */
  portBase: number;
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface TemporalServer {
  address: string;
  /** Prometheus metrics of the server. */
  metricsUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  const config = join(repoRoot(), 'deploy', 'temporal');
  const child = spawnManaged(
    'temporal-server',
    options.build.server,
    ['--root', '/', '--config', config, '--env', 'baton', '--allow-no-auth', 'start'],
    {
      env: {
        ...process.env,
        BATON_TEMPORAL_HOST: options.host,
        BATON_TEMPORAL_PORT: String(options.port),
        BATON_TEMPORAL_HTTP_PORT: String(options.httpPort),
        BATON_TEMPORAL_PORT_BASE: String(options.portBase),
        BATON_PG_HOST: options.postgres.host,
        BATON_PG_PORT: String(options.postgres.port),
        BATON_PG_USER: options.dbs.user,
        BATON_PG_PASSWORD: options.dbs.password,
        BATON_PG_DB: options.dbs.database,
        BATON_PG_VISIBILITY_DB: options.dbs.visibilityDatabase,
        BATON_TEMPORAL_DYNAMIC_CONFIG: join(config, 'dynamicconfig.yaml'),
      },
      ...(options.log && { log: options.log }),
    },
  );
  const address = `${options.host}:${options.port}`;
  try {
    await waitForTemporal(address, 'temporal-system', options.startTimeoutMs ?? 120_000, () => {
      const exit = child.exitInfo();
      return exit ? `the server exited (${exit.code ?? exit.signal}):\n${child.output.toString()}` : undefined;
    });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    address,
    metricsUrl: `http://${options.host}:${options.portBase + 7}/metrics`,
    process: child,
    stop: () => child.stop(60_000),
  };
}

/**
 * Registers the namespace (when missing) with its retention, with the Temporal CLI that
 * scripts/bootstrap.sh installs, then waits until the frontend's namespace cache knows it (workers
 * and APIs are refused until then), and registers Baton's search attributes in its PostgreSQL
 * visibility (a failure is warned, not fatal: conversations then start without them).
 */
export async function ensureNamespace(
  address: string,
  namespace: string,
  retentionDays: number,
  timeoutMs = 60_000,
): Promise<'created' | 'existed'> {
  const cli = findTool('temporal');
  if (!cli) throw new Error('the Temporal CLI is not installed (bash scripts/bootstrap.sh installs it)');
  const run = (args: string[]) =>
    spawnSync(cli, [...args, '--address', address, '--namespace', namespace], { encoding: 'utf8', timeout: 30_000 });
  let outcome: 'created' | 'existed' = 'existed';
  if (run(['operator', 'namespace', 'describe']).status !== 0) {
    const created = run([
      'operator',
      'namespace',
      'create',
      '--retention',
      `${retentionDays * 24}h`,
      '--description',
      'Baton conversations',
    ]);
    if (created.status !== 0) throw new Error(`could not create namespace ${namespace}: ${created.stderr.trim()}`);
    outcome = 'created';
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = run(['workflow', 'count']);
    if (listed.status === 0) break;
    if (Date.now() > deadline) throw new Error(`namespace ${namespace} is not usable: ${listed.stderr.trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await ensureSearchAttributesAt(address, namespace).catch((error: Error) =>
    console.warn(`could not register Baton's search attributes on ${address}: ${error.message}`),
  );
  return outcome;
}
