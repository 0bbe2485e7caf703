import { activityCatalog, diagnosticLine, CliError, displayPath, loadJson, type Io } from './io';
import { compileJourney } from '../compiler/compile';

export const defaultApiUrl = 'http://127.0.0.1:4000';

interface HttpAnswer {
  status: number;
  body: unknown;
}

async function request(method: string, url: string, body?: unknown): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : error instanceof Error ? `: ${error.message}` : '';
    throw new CliError(`cannot reach the Baton API at ${new URL(url).origin}${cause} (is \`npx baton dev\` running? set --api or BATON_API_URL)`, 1);
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

/** An application/problem+json answer (or anything else) as lines. */
export function problemText(answer: HttpAnswer): string {
  const body = answer.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const problem = body as { title?: unknown; detail?: unknown; errors?: unknown; diagnostics?: unknown };
    const lines = [`${answer.status} ${typeof problem.title === 'string' ? problem.title : ''}`.trim()];
    if (typeof problem.detail === 'string') lines.push(problem.detail);
    for (const list of [problem.errors, problem.diagnostics]) {
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        if (item && typeof item === 'object') {
          const entry = item as { path?: unknown; nodeId?: unknown; message?: unknown; severity?: unknown };
          lines.push(`  ${[entry.severity, entry.nodeId, entry.path].filter((p) => typeof p === 'string' && p).join(' ')}: ${String(entry.message ?? JSON.stringify(item))}`);
        } else lines.push(`  ${String(item)}`);
      }
    }
    return lines.join('\n');
  }
  return `${answer.status} ${typeof body === 'string' ? body.slice(0, 500) : ''}`.trim();
}

/** Finds the published version in the API's answer, whatever its exact shape. */
export function versionOf(body: unknown): number | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.version === 'number') return record.version;
  for (const key of ['version', 'journey', 'published', 'compiled', 'definition']) {
    const inner = record[key];
    if (inner && typeof inner === 'object') {
      const found = versionOf(inner);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * `baton publish FILE [--api URL]`: saves the file as the journey's draft (`PUT /api/journeys/:id`,
 * or `POST /api/journeys` when the API does not know the journey yet), publishes it
 * (`POST /api/journeys/:id/publish`) and prints `id@version`. The file is validated locally first.
 */
export async function runPublish(file: string, options: { api?: string; message?: string; author?: string }, io: Io): Promise<number> {
  const shown = displayPath(file, io.cwd);
  const loaded = loadJson(file, io.cwd);
  if (!loaded.ok) throw new CliError(diagnosticLine(shown, loaded.problem), 1);
  const definition = loaded.source.value;
  const compiled = compileJourney(definition, { activities: activityCatalog() });
  if (!compiled.ok) {
    for (const diagnostic of compiled.diagnostics) io.err(diagnosticLine(shown, diagnostic));
    throw new CliError(`${shown} is not valid; nothing was published`, 1);
  }
  const id = compiled.journey.id;
  const base = (options.api ?? io.env.BATON_API_URL ?? defaultApiUrl).replace(/\/+$/, '');
  const journeyUrl = `${base}/api/journeys/${encodeURIComponent(id)}`;

  let saved = await request('PUT', journeyUrl, definition);
  if (saved.status === 404) saved = await request('POST', `${base}/api/journeys`, definition);
  if (saved.status < 200 || saved.status >= 300) throw new CliError(`saving the draft of ${id} failed: ${problemText(saved)}`, 1);

  const publishBody = { ...(options.message !== undefined && { message: options.message }), ...(options.author !== undefined && { author: options.author }) };
  const published = await request('POST', `${journeyUrl}/publish`, publishBody);
  if (published.status < 200 || published.status >= 300) throw new CliError(`publishing ${id} failed: ${problemText(published)}`, 1);
  const version = versionOf(published.body);
  if (version === undefined) throw new CliError(`published ${id}, but the API did not say which version: ${JSON.stringify(published.body).slice(0, 300)}`, 1);
  io.out(`${id}@${version}`);
  return 0;
}
