/**
 * PostgreSQL for the production-shaped stack: Debian's server binaries (apt-get install postgresql),
 * a data directory and a port of the stack's own, started in the foreground so that stopping the
 * stack stops it. As root it runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnManaged, which, type ManagedProcess } from '@baton/cli/services';

export interface PostgresOptions {
  /** The cluster's data directory (created with initdb when empty). */
  dataDir: string;
  port: number;
  /** The superuser's password (scram-sha-256 on 127.0.0.1). */
  superuserPassword: string;
  log?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface Postgres {
  host: string;
  port: number;
  /** Runs SQL as the superuser through psql; returns its output. */
  sql(statement: string, database?: string): string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** The directory of Debian's postgres, initdb (highest version under /usr/lib/postgresql), or PATH's. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  const onPath = which('postgres');
  return onPath && which('initdb') ? join(onPath, '..') : undefined;
}

/** Arguments that run `command` as the postgres user when this process is root (setpriv, util-linux). */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  // --pdeathsig is set after the user changes (so it is kept): PostgreSQL stops if this process dies.
  return [
    'setpriv',
    ['--pdeathsig', 'SIGTERM', '--reuid=postgres', '--regid=postgres', '--clear-groups', '--', command, ...args],
  ];
}

function postgresIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export async function startPostgres(options: PostgresOptions): Promise<Postgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql (as root)');
  const data = options.dataDir;
  const ids = postgresIds();
  if (!existsSync(join(data, 'PG_VERSION'))) {
    mkdirSync(data, { recursive: true, mode: 0o700 });
    chmodSync(data, 0o700);
    const pwfile = join(data, '..', '.pg-initdb-password');
    writeFileSync(pwfile, `${options.superuserPassword}\n`, { mode: 0o600 });
    if (ids) {
      chownSync(data, ids.uid, ids.gid);
      chownSync(pwfile, ids.uid, ids.gid);
    }
    const [command, args] = asPostgresUser(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      `--pwfile=${pwfile}`,
      '--auth-local=scram-sha-256',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
    ]);
    try {
      execFileSync(command, args, { stdio: 'pipe' });
    } finally {
      execFileSync('rm', ['-f', pwfile]);
    }
  }
  const [command, args] = asPostgresUser(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(options.port),
    '-c',
    'listen_addresses=127.0.0.1',
    // The socket in the data directory: no clash with a system cluster's /var/run/postgresql.
    '-c',
    `unix_socket_directories=${data}`,
  ]);
  const child = spawnManaged('postgres', command, args, {
    // As root, asPostgresUser's setpriv sets the parent-death signal itself.
    parentDeathSignal: process.getuid?.() !== 0,
    ...(options.log && { log: options.log }),
  });
  const ready = await child.waitForOutput(
    /database system is ready to accept connections/,
    options.startTimeoutMs ?? 60_000,
  );
  if (!ready) {
    await child.stop();
    throw new Error(`PostgreSQL did not start on port ${options.port}:\n${child.output.toString()}`);
  }
  const psql = which('psql') ?? join(bin, 'psql');
  return {
    host: '127.0.0.1',
    port: options.port,
    process: child,
    sql(statement, database = 'postgres') {
      return execFileSync(
        psql,
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(options.port),
          '-U',
          'postgres',
          '-d',
          database,
          '-v',
          'ON_ERROR_STOP=1',
          '-qAtc',
          statement,
        ],
        { encoding: 'utf8', env: { ...process.env, PGPASSWORD: options.superuserPassword } },
      );
    },
    // SIGTERM is PostgreSQL's "smart" shutdown: it waits for its clients, which are stopped first.
    stop: () => child.stop(60_000),
  };
}
