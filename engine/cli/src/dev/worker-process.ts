import { join } from 'node:path';
import { repoRoot, spawnManaged, type ManagedProcess } from '../services';

export interface WorkerProcessOptions {
  temporalAddress: string;
  mongoUri: string;
  db: string;
  taskQueue?: string;
  namespace?: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /** More environment for the process (BATON_WORKER_MODE, BATON_ACTIVITY_MODULES …). */
  env?: Record<string, string>;
}

/** Starts `workers/worker/src/main.ts` as its own process (as in production) and waits for its "ready" line. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<ManagedProcess> {
  let ready: () => void = () => undefined;
  const readyLine = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const worker = spawnManaged(
    'worker',
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), join(repoRoot(), 'workers/worker/src/main.ts')],
    {
      cwd: repoRoot(),
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: options.temporalAddress,
        MONGODB_URI: options.mongoUri,
        BATON_DB: options.db,
        BATON_TASK_QUEUE: options.taskQueue ?? 'baton',
        TEMPORAL_NAMESPACE: options.namespace ?? 'default',
        ...options.env,
      },
      log: (line) => {
        options.log?.(line);
        if (/worker ready/.test(line)) ready();
      },
    },
  );
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    readyLine.then(() => 'ready' as const),
    worker.exited.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    }),
  ]);
  if (timer) clearTimeout(timer);
  if (outcome !== 'ready') {
    await worker.stop();
    throw new Error(`the worker did not start (${outcome}):\n${worker.output.toString()}`);
  }
  return worker;
}
