/**
 * The rules of journey aliases (`live`, `beta` …): which routes an alias may have, and which route a
 * conversation takes when an alias splits traffic between two versions (a canary). Pure and
 * isomorphic, so the store, the API and the simulator all decide the same way.
 */
import { sha256 } from '@noble/hashes/sha2';
import { utf8ToBytes } from '@noble/hashes/utils';

/** One version an alias points at, and its share of new conversations. */
export interface AliasRoute {
  version: number;
  percent: number;
}

/** The alias that new conversations start on when they name neither a version nor an alias. */
export const liveAlias = 'live';

/** What is wrong with a list of routes, or undefined when it is a valid alias target. */
export function aliasRoutesProblem(routes: readonly AliasRoute[]): string | undefined {
  if (routes.length < 1 || routes.length > 2) return 'an alias has one route, or two (a canary)';
  for (const route of routes) {
    if (!Number.isInteger(route.version) || route.version < 1)
      return `version ${route.version} is not a version number`;
    if (!Number.isInteger(route.percent) || route.percent < 1 || route.percent > 100)
      return `percent ${route.percent} is not a whole number from 1 to 100`;
  }
  if (routes.length === 2 && routes[0]?.version === routes[1]?.version) return 'the two routes name the same version';
  const sum = routes.reduce((total, route) => total + route.percent, 0);
  if (sum !== 100) return `the percents sum to ${sum}, not 100`;
  return undefined;
}

/** The bucket (0–99) of a conversation: the first 4 bytes of the SHA-256 of its id, modulo 100. Stable across processes and releases. */
export function aliasBucket(conversationId: string): number {
  const digest = sha256(utf8ToBytes(conversationId));
  const first = new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0, false);
  return first % 100;
}

/**
 * The route a conversation takes: the routes cover the buckets in their order (with 90 % on
 * version 2 then 10 % on version 3, buckets 0–89 start on 2 and 90–99 on 3).
 * @throws RangeError when there are no routes
 */
export function routeForConversation(routes: readonly AliasRoute[], conversationId: string): AliasRoute {
  const bucket = aliasBucket(conversationId);
  let upTo = 0;
  for (const route of routes) {
    upTo += route.percent;
    if (bucket < upTo) return route;
  }
  const last = routes[routes.length - 1];
  if (!last) throw new RangeError('an alias without routes');
  return last;
}

/** Same versions with the same percents, in the same order. */
export function sameRoutes(a: readonly AliasRoute[], b: readonly AliasRoute[]): boolean {
  return (
    a.length === b.length &&
    a.every((route, index) => route.version === b[index]?.version && route.percent === b[index]?.percent)
  );
}
