/** Ports and process readings for the production-shaped stack. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from '@baton/cli/services';

export interface ProdPorts {
  proxy: number;
  proxyStats: number;
  apis: [number, number];
  temporal: number;
  temporalHttp: number;
  /** Eight consecutive ports from here: Temporal's internal services and its metrics. */
  temporalBase: number;
  postgres: number;
  mongo: number;
}

/** Whether a TCP port of 127.0.0.1 is free now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A random base with `count` consecutive free ports on 127.0.0.1, all below 32768. */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    // Below 32768: Temporal keeps membership ports in a smallint column (cluster_membership.rpc_port)
    // and dies at start with "out of range for type smallint" above it.
    const base = 10_000 + Math.floor(Math.random() * (32_767 - 10_000 - count));
    let ok = true;
    for (let port = base; port < base + count && ok; port += 1) ok = await portIsFree(port);
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** Free ports for every part (the integration test's stack). */
export async function freeProdPorts(): Promise<ProdPorts> {
  return {
    proxy: await freePort(),
    proxyStats: await freePort(),
    apis: [await freePort(), await freePort()],
    temporal: await freePort(),
    temporalHttp: await freePort(),
    temporalBase: await freePortRange(8),
    postgres: await freePort(),
    mongo: await freePort(),
  };
}

/** The process listening on a TCP port of this machine (ss from iproute2), if any. */
export function pidListeningOn(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
    const pid = /pid=(\d+)/.exec(out)?.[1];
    return pid === undefined ? undefined : Number(pid);
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in MB (Linux /proc), or undefined when it is gone. */
export function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}
