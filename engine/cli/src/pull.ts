import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Id } from '@baton/schemas';
import { formatJourney } from '@baton/core/compiler';
import { apiBase, apiRequest, isOk, problemText } from './http';
import { CliError, displayPath, paint, type Io } from './io';

export interface PullOptions {
  api?: string;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`${file}: cannot read: ${(error as Error).message}`);
  }
}

/**
 * `baton pull [DIR] [--api URL]`: writes the latest published version of every journey on the
 * server as `DIR/<id>/journey.json`, in canonical form (the bytes `baton fmt` writes). A file that
 * already holds those bytes is left alone. One line per journey: `written` or `unchanged`.
 */
export async function runPull(dir: string | undefined, options: PullOptions, io: Io): Promise<number> {
  const base = apiBase(options.api, io);
  const root = resolve(io.cwd, dir ?? '.');
  const listed = await apiRequest('GET', `${base}/api/journeys`);
  if (!isOk(listed)) throw new CliError(`listing the journeys failed: ${problemText(listed)}`, 1);
  const journeys = (listed.body as { journeys?: unknown } | null)?.journeys;
  if (!Array.isArray(journeys))
    throw new CliError(`the API answered without a journey list: ${JSON.stringify(listed.body).slice(0, 300)}`, 1);

  let written = 0;
  let unchanged = 0;
  let skipped = 0;
  for (const item of journeys) {
    const { id, latestVersion } = (item ?? {}) as { id?: unknown; latestVersion?: unknown };
    // The id becomes a folder name: only ids the API itself accepts.
    if (typeof id !== 'string' || !Id.safeParse(id).success)
      throw new CliError(`the API listed a journey with an unusable id: ${JSON.stringify(id)}`, 1);
    if (typeof latestVersion !== 'number') {
      io.err(`skipped ${id} (never published)`);
      skipped += 1;
      continue;
    }
    const answer = await apiRequest('GET', `${base}/api/journeys/${encodeURIComponent(id)}/versions/${latestVersion}`);
    if (!isOk(answer)) throw new CliError(`reading ${id}@${latestVersion} failed: ${problemText(answer)}`, 1);
    const source = (answer.body as { source?: unknown } | null)?.source;
    if (!source || typeof source !== 'object') throw new CliError(`${id}@${latestVersion} came without its source`, 1);
    const text = formatJourney(source);
    const folder = join(root, id);
    const file = join(folder, 'journey.json');
    const shown = displayPath(file, io.cwd);
    if (readIfExists(file) === text) {
      unchanged += 1;
      io.out(`unchanged ${shown} (${id}@${latestVersion})`);
      continue;
    }
    try {
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, text);
    } catch (error) {
      throw new CliError(`${shown}: cannot write: ${(error as Error).message}`);
    }
    written += 1;
    io.out(`${paint(io, 'green', 'written')} ${shown} (${id}@${latestVersion})`);
  }
  io.err(`${written} written, ${unchanged} unchanged${skipped ? `, ${skipped} never published` : ''}`);
  return 0;
}
