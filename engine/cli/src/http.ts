import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batonHome } from './services/paths';
import { CliError, type Io } from './io';

/** How the CLI talks to a running Baton API (publish, alias, pull). */
export const defaultApiUrl = 'http://127.0.0.1:4000';

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** The API base URL: `--api`, else `$BATON_API_URL`, else the local default; without a trailing slash. */
export function apiBase(option: string | undefined, io: Io): string {
  return (option ?? io.env.BATON_API_URL ?? defaultApiUrl).replace(/\/+$/, '');
}

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Where `baton dev` writes the CLI's API key. */
export const localApiKeyFile = () => join(batonHome(), 'data', 'api-key');

/**
 * The API key to send: `$BATON_API_KEY`; else, for a server on this machine, the key `baton dev`
 * wrote in .baton/data/api-key (never sent to another host).
 */
export function apiKeyFor(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.BATON_API_KEY) return env.BATON_API_KEY.trim();
  if (!loopback.has(new URL(url).hostname)) return undefined;
  const file = localApiKeyFile();
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

/** A JSON request to the Baton API (as publish.ts does it), with the API key; an unreachable API is a CliError (exit 1). */
/** A JSON request (or `options.bytes` as application/octet-stream) with the CLI's API key; 30 s by default. */
export async function apiRequest(
  method: string,
  url: string,
  body?: unknown,
  options: { bytes?: Uint8Array; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  let response: Response;
  const key = apiKeyFor(url);
  try {
    response = await fetch(url, {
      method,
      headers: {
        'content-type': options.bytes ? 'application/octet-stream' : 'application/json',
        accept: 'application/json, application/problem+json',
        ...(key && { authorization: `Bearer ${key}` }),
      },
      ...(options.bytes ? { body: options.bytes } : body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error
        ? `: ${error.cause.message}`
        : error instanceof Error
          ? `: ${error.message}`
          : '';
    throw new CliError(
      `cannot reach the Baton API at ${new URL(url).origin}${cause} (is \`npx baton dev\` running? set --api or BATON_API_URL)`,
      1,
    );
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    // Not JSON: keep the text for the error message.
  }
  return { status: response.status, body: parsed };
}

export const isOk = (answer: HttpAnswer) => answer.status >= 200 && answer.status < 300;

/** An application/problem+json answer (or anything else) as lines. */
export function problemText(answer: HttpAnswer): string {
  const body = answer.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const problem = body as { title?: unknown; detail?: unknown; errors?: unknown; diagnostics?: unknown };
    const lines = [`${answer.status} ${typeof problem.title === 'string' ? problem.title : ''}`.trim()];
    if (typeof problem.detail === 'string') lines.push(problem.detail);
    if (answer.status === 401)
      lines.push(
        'the API needs an API key: set BATON_API_KEY (an admin creates one with POST /api/admin/api-keys), or use the local `baton dev`, which writes .baton/data/api-key',
      );
    if (answer.status === 403)
      lines.push(
        'the API key (or user) lacks the role this needs (named above): an admin issues a key with it (POST /api/admin/api-keys) for BATON_API_KEY; `baton dev` writes a designer key only',
      );
    for (const list of [problem.errors, problem.diagnostics]) {
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        if (item && typeof item === 'object') {
          const entry = item as { path?: unknown; nodeId?: unknown; message?: unknown; severity?: unknown };
          lines.push(
            `  ${[entry.severity, entry.nodeId, entry.path].filter((p) => typeof p === 'string' && p).join(' ')}: ${String(entry.message ?? JSON.stringify(item))}`,
          );
        } else lines.push(`  ${String(item)}`);
      }
    }
    return lines.join('\n');
  }
  return `${answer.status} ${typeof body === 'string' ? body.slice(0, 500) : ''}`.trim();
}
