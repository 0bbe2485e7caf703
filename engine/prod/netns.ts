/**
 * A worker in its own network namespace (iproute2's `ip netns` and a veth pair), so that a partition
 * between it and the Temporal server is a real one (the fault suite's `partition`, docs/deploy.md):
 *
 *   host namespace                                   namespace baton-<id>
 *   Temporal server, FerretDB bound to 10.233.N.1 ── veth ── 10.233.N.2  worker 2
 *   (the other processes reach them there too)
 *
 * The partition drops every packet on the namespace's end of the veth (iptables in that namespace
 * only; the host's rules are untouched): the worker's TCP connections hang as they would when a
 * network fails, nothing is refused. Needs root (CAP_NET_ADMIN) and iproute2 and iptables.
 */
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { WorkerProcessOptions } from '@baton/cli/dev/worker-process';
import { repoRoot, spawnManaged, type ManagedProcess } from '@baton/cli/services';

export interface WorkerNetns {
  name: string;
  /** The host's end of the veth: the Temporal server and the store listen here. */
  hostAddress: string;
  /** The worker's address inside the namespace. */
  nsAddress: string;
  partitioned(): boolean;
  /** Drops every packet between the namespace and the host until `heal`. */
  partition(): void;
  heal(): void;
  /** Deletes the namespace (and so the veth pair). */
  remove(): void;
}

const run = (args: string[]) => execFileSync(args[0] ?? 'ip', args.slice(1), { encoding: 'utf8', stdio: 'pipe' });

/** Why a worker namespace cannot be made here, or undefined when it can. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'network namespaces need root (CAP_NET_ADMIN)';
  for (const tool of ['ip', 'iptables'])
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (Debian: iproute2, iptables)`;
    }
  return undefined;
}

/** Makes the namespace and its veth on a free 10.233.N.0/30. */
export function createWorkerNetns(): WorkerNetns {
  const why = netnsUnavailable();
  if (why) throw new Error(why);
  const used = run(['ip', '-4', '-o', 'addr']);
  let octet = randomInt(1, 255);
  for (let tries = 0; used.includes(`10.233.${octet}.`) && tries < 255; tries += 1) octet = (octet % 254) + 1;
  const id = `${process.pid.toString(36)}${octet.toString(36)}`.slice(-8);
  const name = `baton-${id}`;
  const hostEnd = `bt${id}h`;
  const nsEnd = `bt${id}n`;
  const hostAddress = `10.233.${octet}.1`;
  const nsAddress = `10.233.${octet}.2`;
  const inNs = (args: string[]) => run(['ip', 'netns', 'exec', name, ...args]);
  run(['ip', 'netns', 'add', name]);
  try {
    run(['ip', 'link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nsEnd]);
    run(['ip', 'link', 'set', nsEnd, 'netns', name]);
    run(['ip', 'addr', 'add', `${hostAddress}/30`, 'dev', hostEnd]);
    run(['ip', 'link', 'set', hostEnd, 'up']);
    inNs(['ip', 'addr', 'add', `${nsAddress}/30`, 'dev', nsEnd]);
    inNs(['ip', 'link', 'set', nsEnd, 'up']);
    inNs(['ip', 'link', 'set', 'lo', 'up']);
  } catch (error) {
    run(['ip', 'netns', 'del', name]);
    throw error;
  }
  const rules = [
    ['INPUT', '-i', nsEnd, '-j', 'DROP'],
    ['OUTPUT', '-o', nsEnd, '-j', 'DROP'],
  ];
  let cut = false;
  return {
    name,
    hostAddress,
    nsAddress,
    partitioned: () => cut,
    partition() {
      if (cut) return;
      for (const rule of rules) inNs(['iptables', '-I', ...rule]);
      cut = true;
    },
    heal() {
      if (!cut) return;
      for (const rule of rules) inNs(['iptables', '-D', ...rule]);
      cut = false;
    },
    remove() {
      try {
        run(['ip', 'netns', 'del', name]);
      } catch {
        // already gone
      }
    },
  };
}

/** `workers/worker/src/main.ts` inside the namespace (`ip netns exec`), ready once it says so. */
export async function startWorkerInNetns(netns: WorkerNetns, options: WorkerProcessOptions): Promise<ManagedProcess> {
  const worker = spawnManaged(
    'worker',
    'ip',
    [
      'netns',
      'exec',
      netns.name,
      process.execPath,
      '--require',
      require.resolve('tsx/cjs'),
      join(repoRoot(), 'workers/worker/src/main.ts'),
    ],
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
      ...(options.log && { log: options.log }),
    },
  );
  if (!(await worker.waitForOutput(/worker ready/, options.readyTimeoutMs ?? 120_000))) {
    await worker.stop();
    throw new Error(`the worker in ${netns.name} did not start:\n${worker.output.toString()}`);
  }
  return worker;
}
