import { activityCatalog, diagnosticLine, CliError, displayPath, loadJson, type Io } from './io';
import { compileJourney } from '@baton/core/compiler';
import { apiBase, apiRequest as request, problemText } from './http';

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
export async function runPublish(
  file: string,
  options: { api?: string; message?: string; author?: string },
  io: Io,
): Promise<number> {
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
  const base = apiBase(options.api, io);
  const journeyUrl = `${base}/api/journeys/${encodeURIComponent(id)}`;

  let saved = await request('PUT', journeyUrl, definition);
  if (saved.status === 404) saved = await request('POST', `${base}/api/journeys`, definition);
  if (saved.status < 200 || saved.status >= 300)
    throw new CliError(`saving the draft of ${id} failed: ${problemText(saved)}`, 1);

  const publishBody = {
    ...(options.message !== undefined && { message: options.message }),
    ...(options.author !== undefined && { author: options.author }),
  };
  const published = await request('POST', `${journeyUrl}/publish`, publishBody);
  if (published.status < 200 || published.status >= 300)
    throw new CliError(`publishing ${id} failed: ${problemText(published)}`, 1);
  const version = versionOf(published.body);
  if (version === undefined)
    throw new CliError(
      `published ${id}, but the API did not say which version: ${JSON.stringify(published.body).slice(0, 300)}`,
      1,
    );
  io.out(`${id}@${version}`);
  return 0;
}
