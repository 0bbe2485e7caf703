import { CliError, type Io } from './io';
import { apiBase, apiRequest, isOk, problemText, type HttpAnswer } from './http';

interface Route {
  version: number;
  percent: number;
}

function routesOf(body: unknown): Route[] | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const alias = (body as { alias?: unknown }).alias;
  if (!alias || typeof alias !== 'object') return undefined;
  const routes = (alias as { routes?: unknown }).routes;
  if (!Array.isArray(routes)) return undefined;
  const out: Route[] = [];
  for (const route of routes) {
    if (!route || typeof route !== 'object') return undefined;
    const { version, percent } = route as { version?: unknown; percent?: unknown };
    if (typeof version !== 'number' || typeof percent !== 'number') return undefined;
    out.push({ version, percent });
  }
  return out;
}

/** `2` or `2 (90%), 3 (10%)`. */
export function routesText(routes: readonly Route[]): string {
  if (routes.length === 1 && routes[0]?.percent === 100) return String(routes[0].version);
  return routes.map((route) => `${route.version} (${route.percent}%)`).join(', ');
}

const positiveInteger = /^[1-9][0-9]*$/;

/** `--canary VERSION:PERCENT` with the main version → the two routes (main gets 100 − PERCENT). */
export function canaryRoutes(version: number, canary: string): Route[] {
  const match = /^([^:]+):([^:]+)$/.exec(canary.trim().replace(/%$/, ''));
  if (!match?.[1] || !match[2] || !positiveInteger.test(match[1]) || !/^[0-9]+$/.test(match[2])) {
    throw new CliError(`--canary "${canary}": expected VERSION:PERCENT, e.g. --canary 3:10`);
  }
  const canaryVersion = Number(match[1]);
  const percent = Number(match[2]);
  if (percent < 1 || percent > 99)
    throw new CliError(`--canary "${canary}": the percent is a whole number from 1 to 99`);
  if (canaryVersion === version)
    throw new CliError(`--canary "${canary}": the canary is the same version as the alias's (${version})`);
  return [
    { version, percent: 100 - percent },
    { version: canaryVersion, percent },
  ];
}

export interface AliasOptions {
  api?: string;
  canary?: string;
  rollback?: boolean;
  author?: string;
}

/**
 * `baton alias JOURNEY ALIAS VERSION [--canary VERSION:PERCENT]` points an alias at a version
 * (with a canary share on a second one); `baton alias JOURNEY ALIAS --rollback` moves it back to
 * its previous routes; `baton alias JOURNEY ALIAS` shows it; `baton alias JOURNEY` lists them.
 */
export async function runAlias(
  journey: string,
  alias: string | undefined,
  version: string | undefined,
  options: AliasOptions,
  io: Io,
): Promise<number> {
  const base = apiBase(options.api, io);
  const journeyUrl = `${base}/api/journeys/${encodeURIComponent(journey)}`;
  const by = options.author !== undefined ? { author: options.author } : {};

  if (alias === undefined) {
    if (options.rollback || options.canary !== undefined)
      throw new CliError('name the alias: baton alias JOURNEY ALIAS …');
    const listed = await apiRequest('GET', `${journeyUrl}/aliases`);
    if (!isOk(listed)) throw new CliError(`listing the aliases of ${journey} failed: ${problemText(listed)}`, 1);
    const aliases = (listed.body as { aliases?: unknown }).aliases;
    if (!Array.isArray(aliases) || aliases.length === 0) io.err(`${journey} has no aliases`);
    else
      for (const item of aliases)
        io.out(
          `${journey} ${String((item as { alias?: unknown }).alias)} → ${routesText(routesOf({ alias: item }) ?? [])}`,
        );
    return 0;
  }
  const aliasUrl = `${journeyUrl}/aliases/${encodeURIComponent(alias)}`;

  let answer: HttpAnswer;
  let what: string;
  if (options.rollback) {
    if (version !== undefined || options.canary !== undefined)
      throw new CliError('--rollback takes no VERSION or --canary');
    what = 'rolling back';
    answer = await apiRequest('POST', `${aliasUrl}/rollback`, by);
  } else if (version === undefined) {
    if (options.canary !== undefined)
      throw new CliError('--canary needs the main VERSION: baton alias JOURNEY ALIAS VERSION --canary VERSION:PERCENT');
    what = 'reading';
    answer = await apiRequest('GET', aliasUrl);
  } else {
    if (!positiveInteger.test(version)) throw new CliError(`VERSION "${version}" is not a version number`);
    const main = Number(version);
    what = 'moving';
    const body =
      options.canary !== undefined ? { routes: canaryRoutes(main, options.canary), ...by } : { version: main, ...by };
    answer = await apiRequest('PUT', aliasUrl, body);
  }
  if (!isOk(answer)) throw new CliError(`${what} ${journey} ${alias} failed: ${problemText(answer)}`, 1);
  const routes = routesOf(answer.body);
  if (!routes)
    throw new CliError(`the API answered without the alias's routes: ${JSON.stringify(answer.body).slice(0, 300)}`, 1);
  const unchanged = (answer.body as { changed?: unknown }).changed === false;
  io.out(`${journey} ${alias} → ${routesText(routes)}${unchanged ? ' (unchanged)' : ''}`);
  return 0;
}
