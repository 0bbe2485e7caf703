import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { idPattern } from '@baton/schemas';
import { diffJourneys, formatJourneyDiff } from '@baton/core/compiler';
import { apiBase, apiRequest, isOk, problemText } from './http';
import { CliError, diagnosticLine, displayPath, loadJson, type Io } from './io';

export interface DiffOptions {
  format?: 'text' | 'json';
  exitCode?: boolean;
  api?: string;
  /** The same as `api` (`--server`). */
  server?: string;
}

export type PublishedRef = { journeyId: string; version: number } | { journeyId: string; alias: string };

const aliasPattern = /^[a-z][a-z0-9_-]{0,62}$/;

/**
 * `journey@version` (`password-reset@2`) or `journey@alias` (`password-reset@live`): something
 * published on the API rather than a file.
 */
export function parseVersionRef(arg: string): PublishedRef | undefined {
  const at = arg.lastIndexOf('@');
  if (at <= 0) return undefined;
  const journeyId = arg.slice(0, at);
  const after = arg.slice(at + 1);
  if (!idPattern.test(journeyId)) return undefined;
  if (/^[1-9]\d{0,8}$/.test(after)) return { journeyId, version: Number(after) };
  if (aliasPattern.test(after)) return { journeyId, alias: after };
  return undefined;
}

const AliasAnswer = z.object({
  alias: z.object({
    routes: z.array(z.object({ version: z.number().int().min(1), percent: z.number().min(0).max(100) })).min(1),
  }),
});

/** The version an alias points at; for a canary split, the version with the larger share (said on stderr). */
async function resolveAlias(
  arg: string,
  ref: { journeyId: string; alias: string },
  base: string,
  io: Io,
): Promise<number> {
  const answer = await apiRequest(
    'GET',
    `${base}/api/journeys/${encodeURIComponent(ref.journeyId)}/aliases/${encodeURIComponent(ref.alias)}`,
  );
  if (answer.status === 404) throw new CliError(`${arg}: no such alias on ${base} (${problemText(answer)})`, 1);
  if (!isOk(answer)) throw new CliError(`${arg}: reading the alias from ${base} failed: ${problemText(answer)}`, 1);
  const parsed = AliasAnswer.safeParse(answer.body);
  if (!parsed.success) throw new CliError(`${arg}: the API answered an alias without routes`, 1);
  const routes = [...parsed.data.alias.routes].sort((a, b) => b.percent - a.percent || b.version - a.version);
  const main = routes[0] as { version: number; percent: number };
  if (routes.length > 1) {
    io.err(
      `${arg} splits traffic (${routes.map((route) => `version ${route.version} ${route.percent} %`).join(', ')}): comparing version ${main.version}, the larger share; name a version (${ref.journeyId}@N) for another`,
    );
  }
  return main.version;
}

/** One side of the diff: a file, or (`journey@version` / `journey@alias`, unless a file of that name exists) a published version's source. */
async function loadSide(arg: string, options: DiffOptions, io: Io): Promise<{ label: string; value: unknown }> {
  const ref = parseVersionRef(arg);
  if (ref && !existsSync(resolve(io.cwd, arg))) {
    const base = apiBase(options.server ?? options.api, io);
    const version = 'version' in ref ? ref.version : await resolveAlias(arg, ref, base, io);
    const answer = await apiRequest(
      'GET',
      `${base}/api/journeys/${encodeURIComponent(ref.journeyId)}/versions/${version}`,
    );
    if (answer.status === 404)
      throw new CliError(`${arg}: no such published version on ${base} (${problemText(answer)})`, 1);
    if (!isOk(answer)) throw new CliError(`${arg}: reading it from ${base} failed: ${problemText(answer)}`, 1);
    const source = (answer.body as { source?: unknown } | null)?.source;
    if (!source || typeof source !== 'object')
      throw new CliError(`${arg}: the API answered without the version's source`, 1);
    return { label: 'version' in ref ? arg : `${arg} (version ${version})`, value: source };
  }
  const loaded = loadJson(arg, io.cwd);
  if (!loaded.ok) throw new CliError(diagnosticLine(displayPath(arg, io.cwd), loaded.problem), 2);
  return { label: displayPath(arg, io.cwd), value: loaded.source.value };
}

/**
 * `baton diff A B`: the semantic diff of two journeys (compiler/diff.ts). Each side is a file, or
 * `journey@version` / `journey@alias` for what is published on the API (`--server` or `--api`, else
 * `$BATON_API_URL`).
 */
export async function runDiff(a: string, b: string, options: DiffOptions, io: Io): Promise<number> {
  const before = await loadSide(a, options, io);
  const after = await loadSide(b, options, io);
  const diff = diffJourneys(before.value, after.value);
  io.out(
    options.format === 'json'
      ? JSON.stringify(diff, null, 2)
      : formatJourneyDiff(diff, { a: before.label, b: after.label }),
  );
  return options.exitCode && diff.logicChanged ? 1 : 0;
}
