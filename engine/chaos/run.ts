/**
 * `npm run chaos`: the fault suite against a local stack of its own (free ports, temporary data).
 *
 *   --conversations N     conversations in the worker-kill scenario (default 100)
 *   --kills N             SIGKILLs of the worker (default 7)
 *   --mongo-outage S      seconds the Mongo-wire server is down (default 30)
 *   --temporal-down S     seconds the Temporal dev server is down (default 5)
 *   --only a,b            run only these scenarios (worker-kill, temporal-restart, mongo-outage, ai-fail, ai-hang)
 *   --verbose             print the servers' and the worker's output
 *   --topology dev|prod   dev (default): the stack above; prod: the production shape (engine/prod, two
 *                         workers and two APIs behind HAProxy, the Temporal server on PostgreSQL), with
 *                         the scenarios of engine/chaos/prod.ts (baseline, worker-kill, api-kill,
 *                         temporal-restart, postgres-restart) and, for them:
 *   --conversations N     at least N conversations per scenario (default 30)
 *   --kills N             SIGKILLs of worker 1 (default 3)
 *   --concurrency N       conversations at a time (default 8)
 *   --api-down S, --temporal-down S, --postgres-down S   seconds each part stays down (default 5)
 *   --partition S         seconds worker 2 (in its own network namespace) is cut off (default 30; scenario partition)
 *
 * Prints one `chaos: <scenario> key=value …` line per scenario; exits 1 when anything was lost.
 */
import { parseArgs } from 'node:util';
import { prodScenarioNames, runProdChaos, type ProdScenarioName } from './prod';
import { startChaosStack } from './stack';
import {
  aiFailureScenario,
  formatResult,
  mongoOutageScenario,
  temporalRestartScenario,
  workerKillScenario,
  type ScenarioResult,
} from './scenarios';

const scenarioNames = ['worker-kill', 'temporal-restart', 'mongo-outage', 'ai-fail', 'ai-hang'] as const;
type ScenarioName = (typeof scenarioNames)[number];

function positive(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`--${flag} must be a positive number, not "${value}"`);
  return number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      conversations: { type: 'string' },
      kills: { type: 'string' },
      'mongo-outage': { type: 'string' },
      'temporal-down': { type: 'string' },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      topology: { type: 'string', default: 'dev' },
      concurrency: { type: 'string' },
      'api-down': { type: 'string' },
      'postgres-down': { type: 'string' },
      partition: { type: 'string' },
    },
  });
  if (values.topology !== 'dev' && values.topology !== 'prod')
    throw new Error(`--topology must be dev or prod, not "${values.topology}"`);
  if (values.topology === 'prod') return prodMain(values);
  const conversations = Math.round(positive(values.conversations, 100, 'conversations'));
  const kills = Math.round(positive(values.kills, 7, 'kills'));
  const outageMs = positive(values['mongo-outage'], 30, 'mongo-outage') * 1000;
  const temporalDownMs = positive(values['temporal-down'], 5, 'temporal-down') * 1000;
  const only = values.only?.split(',').map((name) => name.trim()) ?? [...scenarioNames];
  for (const name of only)
    if (!scenarioNames.includes(name as ScenarioName))
      throw new Error(`--only: unknown scenario "${name}" (known: ${scenarioNames.join(', ')})`);
  const wanted = (name: ScenarioName) => only.includes(name);
  const say = (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const log = values.verbose ? (line: string) => console.log(line) : undefined;
  // The smaller scenarios use a share of the conversations: each one waits through an outage.
  const share = Math.max(4, Math.round(conversations / 4));

  say('starting a local stack (Temporal dev server on a file database, Mongo-wire server, worker process, API)…');
  const stack = await startChaosStack(log ? { log } : {});
  say(`stack up: API ${stack.apiUrl}, Temporal ${stack.temporalAddress}, Mongo ${stack.mongoUri}`);
  const results: ScenarioResult[] = [];
  const record = (result: ScenarioResult) => {
    results.push(result);
    console.log(formatResult(result));
    for (const note of result.notes) console.log(`  ${note}`);
  };
  try {
    if (wanted('worker-kill')) {
      say(`worker-kill: ${conversations} conversations, ${kills} SIGKILLs of the worker`);
      record(await workerKillScenario(stack, { conversations, kills, log: say }));
    }
    if (wanted('temporal-restart')) {
      say(`temporal-restart: ${share} waiting conversations, Temporal down ${temporalDownMs / 1000} s`);
      record(await temporalRestartScenario(stack, { conversations: share, downMs: temporalDownMs, log: say }));
    }
    if (wanted('mongo-outage')) {
      say(`mongo-outage: ${share} conversations, Mongo down ${outageMs / 1000} s`);
      record(await mongoOutageScenario(stack, { conversations: share, outageMs, log: say }));
    }
    for (const mode of ['fail', 'hang'] as const) {
      if (!wanted(`ai-${mode}`)) continue;
      say(`ai-${mode}: ${share} conversations with a model that ${mode === 'fail' ? 'answers 500' : 'never answers'}`);
      record(await aiFailureScenario(stack, { conversations: share, mode, log: say }));
    }
  } finally {
    await stack.stop();
  }
  console.log('');
  for (const result of results) {
    console.log(formatResult(result));
    const times = result.notes.find((note) => note.startsWith('reply times: '));
    if (times) console.log(`  ${times}`);
  }
  const failed = results.filter((result) => !result.ok);
  console.log(
    failed.length === 0
      ? 'chaos: all scenarios lost nothing'
      : `chaos: ${failed.length} scenario(s) failed: ${failed.map((result) => result.name).join(', ')}`,
  );
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);

/** `--topology prod`: engine/chaos/prod.ts on the production-shaped stack. */
async function prodMain(values: Record<string, string | boolean | undefined>): Promise<number> {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const only = text('only')
    ?.split(',')
    .map((name) => name.trim()) ?? [...prodScenarioNames];
  for (const name of only)
    if (!prodScenarioNames.includes(name as ProdScenarioName))
      throw new Error(
        `--only: unknown scenario "${name}" for --topology prod (known: ${prodScenarioNames.join(', ')})`,
      );
  const say = (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
  const seconds = (name: string) => positive(text(name), 5, name) * 1000;
  const started = Date.now();
  const results = await runProdChaos({
    conversations: Math.round(positive(text('conversations'), 30, 'conversations')),
    concurrency: Math.round(positive(text('concurrency'), 8, 'concurrency')),
    kills: Math.round(positive(text('kills'), 3, 'kills')),
    apiDownMs: seconds('api-down'),
    temporalDownMs: seconds('temporal-down'),
    postgresDownMs: seconds('postgres-down'),
    partitionMs: positive(text('partition'), 30, 'partition') * 1000,
    only: only as ProdScenarioName[],
    say,
    ...(values.verbose === true && { log: (line: string) => console.log(line) }),
  });
  console.log('');
  for (const result of results) {
    console.log(formatResult(result));
    const times = result.notes.find((note) => note.startsWith('reply times: '));
    if (times) console.log(`  ${times}`);
  }
  const failed = results.filter((result) => !result.ok);
  console.log(
    failed.length === 0
      ? `chaos (prod): all scenarios lost nothing (${Math.round((Date.now() - started) / 1000)} s)`
      : `chaos (prod): ${failed.length} scenario(s) failed: ${failed.map((result) => result.name).join(', ')}`,
  );
  return failed.length === 0 ? 0 : 1;
}
