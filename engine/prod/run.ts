/**
 * `npm run stack:prod` (scripts/stack-prod.sh): the production-shaped stack in the foreground, data
 * in .baton/prod (BATON_PROD_HOME), its URLs printed; Ctrl-C or `npm run stack:prod -- stop` stops
 * every part cleanly. Preferred ports (each moved to a free one when taken), from the environment:
 *
 *   BATON_PROD_PROXY_PORT 4100   HAProxy in front of the APIs (stats page on the next port)
 *   BATON_PROD_API_PORT   4111   the two API processes (4111, 4112)
 *   BATON_PROD_TEMPORAL_PORT 7433   Temporal frontend gRPC (HTTP 7443; internal ports 7450-7457, or 8 free ones below 32768)
 *   BATON_PROD_PG_PORT    5433   PostgreSQL
 *   BATON_PROD_MONGO_PORT 27117  FerretDB (MONGODB_URI: an existing MongoDB instead)
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { batonHome, freePort } from '@baton/cli/services';
import { findTemporalBuild } from './temporal-server';
import { freePortRange, portIsFree, residentMb, type ProdPorts } from './ports';
import { startProdStack } from './stack';

const home = process.env.BATON_PROD_HOME || join(batonHome(), 'prod');
const pidFile = join(home, 'stack.pid');
const print = (line: string) => process.stdout.write(`${line}\n`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function runningPid(): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

const isFree = portIsFree;

async function portOr(name: string, fallback: number): Promise<number> {
  const text = process.env[name];
  const preferred = text ? Number(text) : fallback;
  if (!Number.isInteger(preferred) || preferred <= 0 || preferred > 65_535)
    throw new Error(`${name} must be a TCP port, not "${text}"`);
  return (await isFree(preferred)) ? preferred : freePort();
}

async function ports(): Promise<ProdPorts> {
  const proxy = await portOr('BATON_PROD_PROXY_PORT', 4100);
  const api = await portOr('BATON_PROD_API_PORT', 4111);
  const temporal = await portOr('BATON_PROD_TEMPORAL_PORT', 7433);
  // Temporal's internal ports stay below 32768 (membership ports are a smallint in PostgreSQL).
  const base = 7450;
  let baseFree = true;
  for (let port = base; port < base + 8; port += 1) baseFree &&= await isFree(port);
  return {
    proxy,
    proxyStats: await portOr('', proxy + 1),
    apis: [api, await portOr('', api + 1)],
    temporal,
    temporalHttp: await portOr('', temporal + 10),
    temporalBase: baseFree ? base : await freePortRange(8),
    postgres: await portOr('BATON_PROD_PG_PORT', 5433),
    mongo: await portOr('BATON_PROD_MONGO_PORT', 27117),
  };
}

async function stop(): Promise<void> {
  const pid = runningPid();
  if (pid === undefined) {
    print('stack:prod is not running');
    return;
  }
  print(`stopping stack:prod (pid ${pid})...`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 180_000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`stack:prod (pid ${pid}) did not stop in 180 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  print('stopped');
}

async function start(verbose: boolean): Promise<void> {
  const other = runningPid();
  if (other !== undefined)
    throw new Error(`stack:prod already runs (pid ${other}); \`npm run stack:prod -- stop\` stops it`);
  const build = findTemporalBuild();
  if ('missing' in build) throw new Error(`the Temporal server is not built: ${build.missing}`);
  mkdirSync(home, { recursive: true });
  writeFileSync(pidFile, `${process.pid}\n`);
  const startedAt = Date.now();
  print(`starting the production-shaped stack (data in ${relative(process.cwd(), home) || home})...`);
  let stack: Awaited<ReturnType<typeof startProdStack>> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    print(`\n${signal}: stopping the proxy, the APIs, the workers, Temporal, the store and PostgreSQL...`);
    const t0 = Date.now();
    await stack?.stop();
    rmSync(pidFile, { force: true });
    print(`stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s; data kept in ${home}`);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    stack = await startProdStack({
      dataDir: home,
      build,
      ports: await ports(),
      progress: (line) => print(`  ${line}`),
      ...(verbose && { log: (line: string) => print(`    ${line}`) }),
    });
  } catch (error) {
    rmSync(pidFile, { force: true });
    throw error;
  }
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  print('');
  print(`Baton (production shape) is running, started in ${seconds} s`);
  print(
    `  web app and API (HAProxy)  ${stack.proxyUrl}/  (API ${stack.proxyUrl}/api, ready: ${stack.proxyUrl}/api/ready)`,
  );
  print(`  HAProxy stats              ${stack.proxyStatsUrl}`);
  print(`  API processes              ${stack.apiUrls.join(', ')}`);
  print(
    `  Temporal server            ${stack.temporalAddress}  (namespace ${stack.namespace}, metrics ${stack.temporalMetricsUrl})`,
  );
  print(`  PostgreSQL                 ${stack.postgres}`);
  print(`  MongoDB                    ${stack.mongoUri}  (${stack.mongoKind}, database ${stack.db})`);
  if (stack.seeded.length) print(`  examples published         ${stack.seeded.join(', ')}`);
  if (stack.firstAdmin)
    print(
      `  first admin                ${stack.firstAdmin.email} / ${stack.firstAdmin.password} (shown once; kept in ${join(home, 'secrets', 'admin-password')})`,
    );
  print(`  admin API key              in ${join(home, 'secrets', 'api-key')}`);
  print('');
  print('Resident memory per process:');
  for (const { name, pid } of stack.processes())
    print(`  ${name.padEnd(26)} pid ${String(pid ?? '-').padEnd(8)} ${residentMb(pid) ?? '?'} MB`);
  print('');
  print('Ctrl-C or `npm run stack:prod -- stop` stops everything.');
  // The children do not keep this process alive on their own (spawnManaged unrefs them).
  setInterval(() => undefined, 1 << 30);
}

const command = process.argv[2] ?? 'start';
const verbose = process.argv.includes('--verbose');
(command === 'stop'
  ? stop()
  : command === 'start' || command === '--verbose'
    ? start(verbose)
    : Promise.reject(new Error(`usage: npm run stack:prod [-- start [--verbose] | stop]`))
).catch((error: unknown) => {
  console.error(`stack:prod: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
