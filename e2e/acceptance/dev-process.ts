/**
 * `baton dev` as a child process, as a new user starts it (`node engine/cli/bin/baton.js dev`), and the
 * small HTTP helpers the acceptance test uses against it (sessions with CSRF, API keys, customer
 * tokens).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { batonBin, repoRoot } from '@baton/test-support/baton-cli';

export interface RunningDev {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output: () => string;
  webAppUrl: string;
  apiUrl: string;
  adminEmail: string;
  adminPassword: string;
  apiKey: string;
  /** Sends SIGINT (Ctrl-C) and answers the exit code and what it printed. */
  stop: () => Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `baton dev` with `env` added and waits for its "Baton is running" block. */
export async function startBatonDev(
  args: readonly string[],
  env: Record<string, string>,
  batonHome: string,
  timeoutMs = 180_000,
): Promise<RunningDev> {
  const child = spawn(process.execPath, [batonBin, 'dev', ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', BATON_HOME: batonHome, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const running = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`baton dev did not print "Baton is running":\n${printed}`)),
      timeoutMs,
    );
    const check = () => {
      // The block ends with the repository line; by then every URL is printed.
      if (/Baton is running[\s\S]*\(repository: /.test(printed)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`baton dev exited (${code ?? signal}) before it was running:\n${printed}`));
    });
  });
  try {
    await running;
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
    throw error;
  }

  const webAppUrl = /web app\b[^\n]*?(http:\/\/\S+)/.exec(printed)?.[1];
  const apiUrl = /\n\s+API\s+(http:\/\/\S+)/.exec(printed)?.[1];
  const admin = /first admin created: sign in at \S+ as (\S+) with password (\S+)/.exec(printed);
  if (!webAppUrl || !apiUrl || !admin) {
    child.kill('SIGINT');
    await exited;
    throw new Error(`could not read the URLs or the first admin from:\n${printed}`);
  }
  const data = join(batonHome, 'data');
  return {
    child,
    output: () => printed,
    webAppUrl: webAppUrl.replace(/\/$/, ''),
    apiUrl,
    adminEmail: admin[1] as string,
    adminPassword: readFileSync(join(data, 'admin-password'), 'utf8').trim(),
    apiKey: readFileSync(join(data, 'api-key'), 'utf8').trim(),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const result = await exited;
      return { ...result, output: printed };
    },
  };
}

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
  contentType: string;
}

/** One HTTP call with JSON in and out. */
export async function http(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonAnswer> {
  const response = await fetch(url, {
    method,
    headers: { ...(options.body !== undefined && { 'content-type': 'application/json' }), ...options.headers },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    body = { text };
  }
  return { status: response.status, body, contentType: response.headers.get('content-type') ?? '' };
}

/** A signed-in staff session: its cookie and CSRF token on every call. */
export async function signIn(
  apiUrl: string,
  email: string,
  password: string,
): Promise<(method: string, path: string, body?: unknown) => Promise<JsonAnswer>> {
  const response = await fetch(`${apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in of ${email} answered ${response.status}: ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return (method, path, body) =>
    http(method, `${apiUrl}${path}`, { body, headers: { cookie, 'x-csrf-token': csrfToken } });
}

/** Polls until `probe` answers something other than undefined. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
