/**
 * Which address a request comes from, for the per-IP limits (customer requests per minute, open
 * event streams) and the logs. By default it is the TCP peer: a forged `X-Forwarded-For` changes
 * nothing. Behind a reverse proxy every customer's peer is the proxy, so BATON_TRUST_PROXY names the
 * proxies whose `X-Forwarded-For` is believed (docs/security.md, "Behind a reverse proxy"):
 *
 * - a list of addresses or CIDR ranges (`127.0.0.1`, `10.0.0.0/8, fd00::/8`): the header is read only
 *   when the peer is one of them, from the right, skipping each trusted proxy; the first address that
 *   is not one is the client's. Preferred: a client reaching the API directly cannot forge its address.
 * - a number of hops (`1`): the header's last n entries are believed whoever the peer is. Only for an
 *   API that nothing but those proxies can reach.
 * - unset, empty, `false` or `0`: trust nothing (the default).
 *
 * Express does the reading (its `trust proxy` setting sets `req.ip`); this module validates the
 * variable and turns it into that setting.
 */
import { isIP } from 'node:net';
import type { Express } from 'express';
import { z } from 'zod';

export type TrustProxy = false | { hops: number } | { proxies: string[] };

/** proxy-addr's names for common ranges, accepted as entries of the list. */
const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validProxyEntry(entry: string): boolean {
  if (namedRanges.has(entry)) return true;
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return false;
  if (slash === -1) return true;
  const prefix = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

const trustProxySchema = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (value === '' || value === 'false' || value === '0') return false;
    if (value === 'true' || value === '*') {
      ctx.addIssue({
        code: 'custom',
        message:
          'trusting every peer would let any client choose its address; name the proxies (e.g. 127.0.0.1 or 10.0.0.0/8) or a number of hops',
      });
      return z.NEVER;
    }
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops > 10) ctx.addIssue({ code: 'custom', message: `${hops} hops: at most 10 proxies in a row` });
      return { hops };
    }
    const proxies = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0);
    for (const entry of proxies)
      if (!validProxyEntry(entry))
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is neither an IP address, a CIDR range (address/prefix), loopback, linklocal nor uniquelocal`,
        });
    return { proxies };
  });

/** Reads BATON_TRUST_PROXY; a bad value throws, naming the variable and the entry. */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv = process.env): TrustProxy {
  const parsed = trustProxySchema.safeParse(env.BATON_TRUST_PROXY ?? '');
  if (!parsed.success)
    throw new Error(`BATON_TRUST_PROXY: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.data;
}

/** Sets Express's `trust proxy` (hence `req.ip`) from the option. */
export function applyTrustProxy(app: Express, trust: TrustProxy): void {
  if (trust === false) app.set('trust proxy', false);
  else if ('hops' in trust) app.set('trust proxy', trust.hops);
  else app.set('trust proxy', trust.proxies);
}
