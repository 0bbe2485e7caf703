import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { toolPath, which } from './paths';
import { freePort } from './ports';
import { describeExit, pollUntilReady, spawnManaged, startupError, type LogFn, type ManagedProcess } from './process';

export type MongoWireKind = 'external' | 'mongod' | 'ferretdb';

export interface MongoWireOptions {
  /** Data directory for mongod / FerretDB (created if missing). Ignored for MONGODB_URI. */
  dataDir: string;
  /** Port; a free one is picked when omitted. */
  port?: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** How long to wait for `ping` to succeed (default 60 s). */
  startTimeoutMs?: number;
  /** Receives every output line of the server, prefixed with "[ferretdb]" / "[mongod]". */
  log?: LogFn;
}

export interface MongoWireServer {
  /** Connection string without a database name, e.g. mongodb://127.0.0.1:27017/ */
  uri: string;
  kind: MongoWireKind;
  /** Stops a server we started (no-op for MONGODB_URI). Idempotent. */
  stop(): Promise<void>;
}

const READY_LINE: Record<'mongod' | 'ferretdb', RegExp> = {
  ferretdb: /listening on mongodb:/,
  mongod: /Waiting for connections/,
};

/** Polls `ping` until it succeeds, the deadline passes, or `gaveUp()` returns a reason. */
export async function waitForMongo(
  uri: string,
  timeoutMs: number,
  gaveUp: () => string | undefined = () => undefined,
): Promise<void> {
  await pollUntilReady(
    `MongoDB at ${uri} did not answer ping`,
    timeoutMs,
    gaveUp,
    async (remaining) => {
      const wait = Math.max(200, Math.min(2_000, remaining));
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: wait, connectTimeoutMS: wait });
      try {
        await client.connect();
        await client.db('admin').command({ ping: 1 });
      } finally {
        await client.close().catch(() => undefined);
      }
    },
    150,
  );
}

/**
 * Provides a MongoDB wire-protocol server: MONGODB_URI when set (kind "external"),
 * else `mongod` from PATH, else the FerretDB binary built by scripts/bootstrap.sh.
 * Resolves once `ping` succeeds.
 */
export async function startMongoWire(opts: MongoWireOptions): Promise<MongoWireServer> {
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const external = process.env.MONGODB_URI;
  if (external !== undefined && external !== '') {
    await waitForMongo(external, timeoutMs);
    opts.log?.(`[mongo] using external server (MONGODB_URI)`);
    return { uri: external, kind: 'external', stop: async () => undefined };
  }

  const host = opts.host ?? '127.0.0.1';
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });

  const mongod = which('mongod');
  const ferret = toolPath('ferretdb');
  let kind: 'mongod' | 'ferretdb';
  let command: string;
  if (mongod !== undefined) {
    kind = 'mongod';
    command = mongod;
  } else {
    kind = 'ferretdb';
    command = ferret;
    if (!existsSync(ferret)) {
      throw new Error(
        `No MongoDB server available: MONGODB_URI is not set, mongod is not on PATH, and ${ferret} ` +
          'does not exist. Run `bash scripts/bootstrap.sh` to build FerretDB.',
      );
    }
  }

  const attempts = opts.port === undefined ? 3 : 1;
  let lastErr: Error | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = opts.port ?? (await freePort(host));
    const args =
      kind === 'mongod'
        ? ['--dbpath', dataDir, '--bind_ip', host, '--port', String(port), '--quiet']
        : ['-listen', `${host}:${port}`, '-data-dir', dataDir, '-log-level', 'warn'];
    const uri = `mongodb://${host}:${port}/`;
    opts.log?.(`[${kind}] starting ${command} ${args.join(' ')}`);
    const proc: ManagedProcess = spawnManaged(kind, command, args, { log: opts.log });
    const started = Date.now();
    try {
      // Wait for the server to say it is listening before probing with the driver: if the
      // port was taken by something else, a driver probe could hang on that foreign server
      // (the driver leaks a half-open handshake socket). Falls through after 15 s regardless.
      await proc.waitForOutput(READY_LINE[kind], Math.min(15_000, timeoutMs));
      await waitForMongo(uri, Math.max(1_000, timeoutMs - (Date.now() - started)), () => {
        const info = proc.exitInfo();
        if (info === undefined) return undefined;
        const hint =
          kind === 'ferretdb' && info.error !== undefined
            ? ` — ${ferret} is missing; run \`bash scripts/bootstrap.sh\` (or set MONGODB_URI)`
            : '';
        return `${kind} ${describeExit(info)} before it was ready${hint}`;
      });
      opts.log?.(`[${kind}] ready at ${uri} after ${Date.now() - started} ms`);
      return { uri, kind, stop: () => proc.stop() };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      lastErr = startupError(proc, `Could not start ${kind} (${uri}): ${message}`);
      await proc.stop(2_000);
      const bindFailure = /address already in use|bind/i.test(proc.output.toString());
      if (!(opts.port === undefined && bindFailure && proc.exitInfo() !== undefined)) break;
      opts.log?.(`[${kind}] port clash, retrying with another port (attempt ${attempt + 1}/${attempts})`);
    }
  }
  throw lastErr ?? new Error('Could not start a MongoDB wire server');
}
