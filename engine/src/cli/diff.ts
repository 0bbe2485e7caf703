import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { idPattern } from '@baton/schemas';
import { diffJourneys, formatJourneyDiff } from '../compiler/diff';
import { apiBase, apiRequest, isOk, problemText } from './http';
import { CliError, diagnosticLine, displayPath, loadJson, type Io } from './io';

export interface DiffOptions {
  format?: 'text' | 'json';
  exitCode?: boolean;
  api?: string;
}

/** `journey@version` (e.g. `password-reset@2`): a published version on the API rather than a file. */
export function parseVersionRef(arg: string): { journeyId: string; version: number } | undefined {
  const at = arg.lastIndexOf('@');
  if (at <= 0) return undefined;
  const journeyId = arg.slice(0, at);
  const version = arg.slice(at + 1);
  if (!idPattern.test(journeyId) || !/^[1-9]\d{0,8}$/.test(version)) return undefined;
  return { journeyId, version: Number(version) };
}

/** One side of the diff: a file, or (`journey@version`, unless a file of that name exists) a published version's source. */
async function loadSide(arg: string, options: DiffOptions, io: Io): Promise<{ label: string; value: unknown }> {
  const ref = parseVersionRef(arg);
  if (ref && !existsSync(resolve(io.cwd, arg))) {
    const base = apiBase(options.api, io);
    const answer = await apiRequest('GET', `${base}/api/journeys/${encodeURIComponent(ref.journeyId)}/versions/${ref.version}`);
    if (answer.status === 404) throw new CliError(`${arg}: no such published version on ${base} (${problemText(answer)})`, 1);
    if (!isOk(answer)) throw new CliError(`${arg}: reading it from ${base} failed: ${problemText(answer)}`, 1);
    const source = (answer.body as { source?: unknown } | null)?.source;
    if (!source || typeof source !== 'object') throw new CliError(`${arg}: the API answered without the version's source`, 1);
    return { label: arg, value: source };
  }
  const loaded = loadJson(arg, io.cwd);
  if (!loaded.ok) throw new CliError(diagnosticLine(displayPath(arg, io.cwd), loaded.problem), 2);
  return { label: displayPath(arg, io.cwd), value: loaded.source.value };
}

/**
 * `baton diff A B`: the semantic diff of two journeys (compiler/diff.ts). Each side is a file, or
 * `journey@version` for a version published on the API (`--api`, else `$BATON_API_URL`).
 */
export async function runDiff(a: string, b: string, options: DiffOptions, io: Io): Promise<number> {
  const before = await loadSide(a, options, io);
  const after = await loadSide(b, options, io);
  const diff = diffJourneys(before.value, after.value);
  io.out(options.format === 'json' ? JSON.stringify(diff, null, 2) : formatJourneyDiff(diff, { a: before.label, b: after.label }));
  return options.exitCode && diff.logicChanged ? 1 : 0;
}
