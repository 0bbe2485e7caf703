import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { which } from './paths';

export type LogFn = (line: string) => void;

/** Keeps the last `capacity` lines written to it. */
export class RingBuffer {
  private readonly lines: string[] = [];
  constructor(private readonly capacity = 200) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  toString(): string {
    return this.lines.join('\n');
  }

  get size(): number {
    return this.lines.length;
  }
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Last lines of the child's stderr and stdout, for error messages. */
  readonly output: RingBuffer;
  /** Set once the process has exited (or failed to spawn). */
  exitInfo(): ExitInfo | undefined;
  /** Resolves when the process has exited (or failed to spawn). */
  readonly exited: Promise<ExitInfo>;
  /**
   * Resolves true once an output line (stdout or stderr) matches `pattern`,
   * false if the process exits first or `timeoutMs` passes.
   */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<boolean>;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone. */
  stop(timeoutMs?: number): Promise<void>;
}

const live = new Set<ManagedProcess>();
let hooksInstalled = false;

function killAllLive(signal: NodeJS.Signals): void {
  for (const p of live) {
    if (p.exitInfo() === undefined) {
      try {
        p.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: sending a signal is.
  process.on('exit', () => killAllLive('SIGTERM'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      killAllLive('SIGTERM');
      // If nobody else handles this signal, keep Node's default behaviour (terminate).
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, handler);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, handler);
  }
}

function pipeLines(stream: Readable | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      onLine(pending.slice(0, nl).replace(/\r$/, ''));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
    pending = '';
  });
}

export interface SpawnManagedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  log?: LogFn;
  /** Lines of output to keep for error messages (default 200). */
  ringSize?: number;
  /**
   * On Linux, run the child under `setpriv --pdeathsig SIGTERM` (util-linux) so the kernel
   * terminates it even when this process dies without running exit handlers (SIGKILL,
   * crash). Default true; silently skipped where setpriv is unavailable.
   */
  parentDeathSignal?: boolean;
}

let setprivPath: string | null | undefined;

function setpriv(): string | undefined {
  if (setprivPath === undefined) setprivPath = process.platform === 'linux' ? (which('setpriv') ?? null) : null;
  return setprivPath ?? undefined;
}

/**
 * Spawns a long-running helper process whose output is kept in a ring buffer
 * (and forwarded to `log`), and which is killed when this process exits.
 * The child does not keep the Node event loop alive on its own.
 */
export function spawnManaged(
  name: string,
  command: string,
  args: readonly string[],
  opts: SpawnManagedOptions = {},
): ManagedProcess {
  installExitHooks();
  const output = new RingBuffer(opts.ringSize ?? 200);
  const wrapper = opts.parentDeathSignal === false ? undefined : setpriv();
  const [file, argv] =
    wrapper === undefined ? [command, [...args]] : [wrapper, ['--pdeathsig', 'SIGTERM', '--', command, ...args]];
  const child = spawn(file, argv, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });

  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolveExit) => {
    child.once('error', (error: Error) => {
      // Spawn failure (e.g. ENOENT); 'exit' may never come.
      output.push(`[${name}] failed to start: ${error.message}`);
      if (info === undefined) {
        info = { code: null, signal: null, error };
        resolveExit(info);
      }
    });
    child.once('exit', (code, signal) => {
      // Resolve on 'close' (stdio drained, so the last error lines are in `output`),
      // but don't wait long for it in case a grandchild keeps the pipes open.
      const settle = (): void => {
        if (info === undefined) {
          info = { code, signal };
          resolveExit(info);
        }
      };
      const timer = setTimeout(settle, 500);
      timer.unref();
      child.once('close', () => {
        clearTimeout(timer);
        settle();
      });
    });
  });

  const watchers = new Set<(line: string) => void>();
  const seen: string[] = [];
  const onLine = (stream: 'out' | 'err') => (line: string) => {
    output.push(stream === 'err' ? line : `[stdout] ${line}`);
    if (seen.length < 500) seen.push(line);
    for (const w of watchers) w(line);
    opts.log?.(`[${name}] ${line}`);
  };
  pipeLines(child.stdout, onLine('out'));
  pipeLines(child.stderr, onLine('err'));

  // Let the parent exit naturally; the 'exit' hook then terminates the child.
  child.unref();
  (child.stdout as (Readable & { unref?: () => void }) | null)?.unref?.();
  (child.stderr as (Readable & { unref?: () => void }) | null)?.unref?.();

  const managed: ManagedProcess = {
    name,
    child,
    output,
    exited,
    exitInfo: () => info,
    waitForOutput(pattern: RegExp, timeoutMs: number): Promise<boolean> {
      if (seen.some((line) => pattern.test(line))) return Promise.resolve(true);
      if (info !== undefined) return Promise.resolve(false);
      return new Promise<boolean>((resolveWait) => {
        const finish = (result: boolean): void => {
          clearTimeout(timer);
          watchers.delete(watcher);
          resolveWait(result);
        };
        const watcher = (line: string): void => {
          if (pattern.test(line)) finish(true);
        };
        const timer = setTimeout(() => finish(false), timeoutMs);
        watchers.add(watcher);
        void exited.then(() => finish(false));
      });
    },
    async stop(timeoutMs = 10_000): Promise<void> {
      if (info === undefined) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const killed = new Promise<void>((resolveKill) => {
          timer = setTimeout(() => {
            if (info === undefined) {
              opts.log?.(`[${name}] did not exit ${timeoutMs} ms after SIGTERM; sending SIGKILL`);
              child.kill('SIGKILL');
            }
            resolveKill();
          }, timeoutMs);
        });
        await Promise.race([exited, killed]);
        if (timer !== undefined) clearTimeout(timer);
        await exited;
      }
      live.delete(managed);
    },
  };
  live.add(managed);
  void exited.then(() => live.delete(managed));
  return managed;
}

export function describeExit(info: ExitInfo): string {
  if (info.error !== undefined) return `failed to start (${info.error.message})`;
  if (info.signal !== null) return `was killed by ${info.signal}`;
  return `exited with code ${String(info.code)}`;
}

/** Formats a startup failure including the child's last output lines. */
export function startupError(p: ManagedProcess, what: string): Error {
  const tail = p.output.toString();
  return new Error(
    `${what}\n--- last output of ${p.name} (pid ${String(p.child.pid)}) ---\n${tail === '' ? '(no output)' : tail}\n---`,
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Tries `attempt` until it resolves, the deadline passes (the last error is reported), or
 * `gaveUp()` gives a reason to stop (e.g. the server process died). Shared by every readiness wait.
 */
export async function pollUntilReady(
  what: string,
  timeoutMs: number,
  gaveUp: () => string | undefined,
  attempt: (remainingMs: number) => Promise<void>,
  intervalMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = gaveUp();
    if (reason !== undefined) throw new Error(reason);
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    try {
      await attempt(remaining);
      return;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  const detail = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${what} within ${timeoutMs} ms: ${detail}`);
}
