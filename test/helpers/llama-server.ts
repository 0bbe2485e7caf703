/**
 * llama.cpp's OpenAI-compatible server with SmolLM2-135M-Instruct, for the tests that run the
 * OpenAI-compatible provider against a real model server. scripts/llama-server.sh builds it once per
 * machine (cached under ~/.cache/baton/llama; CI builds it before the tests); a machine without it
 * skips those tests and says so (`findLlamaServer()` tells why).
 *
 *   const found = findLlamaServer();
 *   const server = await startLlamaServer(found.paths);   // random free port, waits for /health
 *   … new OpenAiProvider({ baseURL: server.baseURL, model: server.model }) …
 *   await server.close();
 *
 * `startRecordingProxy` sits between a provider and the server and keeps every exchange, so a test
 * can check what went over the wire (max_tokens, response_format, finish_reason, usage).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const script = join(__dirname, '..', '..', 'scripts', 'llama-server.sh');

export interface LlamaServerPaths {
  /** The llama-server binary. */
  server: string;
  /** The GGUF model file. */
  model: string;
}

function pathsIn(value: unknown): LlamaServerPaths | string {
  if (value === null || typeof value !== 'object') return 'not an object';
  const { server, model } = value as Record<string, unknown>;
  if (typeof server !== 'string' || server === '') return 'server: not a path';
  if (typeof model !== 'string' || model === '') return 'model: not a path';
  return { server, model };
}

export type FoundLlamaServer = { ok: true; paths: LlamaServerPaths } | { ok: false; why: string };

/** The built server and model (scripts/llama-server.sh --paths), or why there are none; builds nothing. */
/** The server for a test file, or a warning that says which tests are skipped and how to build it. */
export function findLlamaServerFor(what: string): FoundLlamaServer {
  const found = findLlamaServer();
  if (!found.ok)
    console.warn(
      `SKIPPED ${what}: ${found.why}. ` +
        'Build it with `bash scripts/llama-server.sh` (about 15 minutes on 2 cores, cached in ~/.cache/baton/llama).',
    );
  return found;
}

export function findLlamaServer(): FoundLlamaServer {
  const run = spawnSync('bash', [script, '--paths'], { encoding: 'utf8', timeout: 60_000 });
  const said = `${run.stderr ?? ''}`.trim().split('\n').pop() ?? '';
  if (run.error) return { ok: false, why: `${script} could not run: ${run.error.message}` };
  if (run.status !== 0) return { ok: false, why: said || `${script} --paths exited ${run.status}` };
  try {
    const paths = pathsIn(JSON.parse(run.stdout));
    if (typeof paths !== 'string') return { ok: true, paths };
    return { ok: false, why: `${script} --paths printed no server and model (${paths})` };
  } catch {
    return { ok: false, why: `${script} --paths printed no JSON: ${run.stdout.slice(0, 200)}` };
  }
}

export interface LlamaServer {
  /** http://127.0.0.1:PORT/v1 */
  baseURL: string;
  /** The name the server answers to (its --alias). */
  model: string;
  /** What the server wrote (the last 64 KB), for a failing test's message. */
  log(): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts the server on a free loopback port and resolves once /health says the model is loaded. */
export async function startLlamaServer(
  paths: LlamaServerPaths,
  options: { startTimeoutMs?: number; contextSize?: number; threads?: number } = {},
): Promise<LlamaServer> {
  const port = await freePort();
  const model = 'smollm2-135m-instruct';
  // One thread unless told (BATON_LLAMA_THREADS): on two cores shared with the test servers, two
  // threads that spin-wait for each other ran an order of magnitude slower (docs/ai.md).
  const threads = options.threads ?? (Number(process.env.BATON_LLAMA_THREADS) || 1);
  const args = ['-m', paths.model, '--host', '127.0.0.1', '--port', String(port), '-t', String(threads)];
  // One slot: the tests call it one at a time.
  args.push('--no-webui', '--alias', model, '-c', String(options.contextSize ?? 4096), '-np', '1');
  const child = spawn(paths.server, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-65_536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(killed);
    }
  };
  const baseURL = `http://127.0.0.1:${port}/v1`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  // /health answers 503 while the model loads, 200 once it serves.
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`llama.cpp's server did not start: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`llama.cpp's server exited (${child.exitCode ?? child.signalCode}):\n${output.slice(-4_000)}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { baseURL, model, log: () => output, close };
    await sleep(200);
  }
  await close();
  throw new Error(`llama.cpp's server was not healthy within the start timeout:\n${output.slice(-4_000)}`);
}

/** One request through the proxy and what the server answered (bodies parsed when JSON). */
export interface Exchange {
  path: string;
  request: unknown;
  /** 0 while unanswered, and for good when the client gave up first (its timeout). */
  status: number;
  response: unknown;
}

export interface RecordingProxy {
  baseURL: string;
  exchanges: Exchange[];
  close(): Promise<void>;
}

const parseOr = (raw: string): unknown => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
};

/** An HTTP proxy to `target` (http://host:port/v1) that records every exchange, in the order asked. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const exchanges: Exchange[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (incoming.url ?? '/').replace(/^\/v1/, upstream.pathname.replace(/\/$/, ''));
      const headers = { ...incoming.headers, host: upstream.host, 'content-length': String(body.length) };
      const exchange: Exchange = { path, request: parseOr(body.toString('utf8')), status: 0, response: undefined };
      exchanges.push(exchange);
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: incoming.method, path, headers },
        (answer) => {
          const answered: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answered.push(chunk));
          answer.on('end', () => {
            const raw = Buffer.concat(answered);
            exchange.status = answer.statusCode ?? 0;
            exchange.response = parseOr(raw.toString('utf8'));
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            outgoing.end(raw);
          });
        },
      );
      // The provider gave up (its timeout) or the server died: the client sees the connection end.
      forward.on('error', () => outgoing.destroy());
      outgoing.on('close', () => {
        if (!outgoing.writableEnded) forward.destroy();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    exchanges,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
