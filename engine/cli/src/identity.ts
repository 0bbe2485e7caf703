import { z } from 'zod';
import {
  identityOptionsFromEnv,
  maxIdentityTokenSeconds,
  IdentityPayload,
  signIdentityToken,
} from '@baton/server/api/identity';
import { CliError, type Io } from './io';

export interface IdentitySignOptions {
  site: string;
  /** Seconds until it expires. */
  ttl: string;
}

/**
 * `baton identity sign CUSTOMER_JSON --site SITE [--ttl SECONDS]`: prints an identity token for tests
 * and local pages, signed with the site's secret from BATON_IDENTITY_SECRETS or BATON_IDENTITY_SECRET
 * (an environment variable, never an argument: arguments show in the process list).
 */
export function runIdentitySign(customerJson: string, options: IdentitySignOptions, io: Io): number {
  let identity;
  try {
    identity = identityOptionsFromEnv(io.env);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const secret =
    identity && (Object.hasOwn(identity.sites, options.site) ? identity.sites[options.site] : identity.secret);
  if (!secret)
    throw new CliError(
      `no identity secret for site "${options.site}": set BATON_IDENTITY_SECRET, or BATON_IDENTITY_SECRETS=${options.site}=…`,
    );
  const ttl = z.coerce.number().int().positive().max(maxIdentityTokenSeconds).safeParse(options.ttl);
  if (!ttl.success) throw new CliError(`--ttl: a whole number of seconds from 1 to ${maxIdentityTokenSeconds}`);
  let customer: unknown;
  try {
    customer = JSON.parse(customerJson);
  } catch {
    throw new CliError('customer: not JSON, e.g. \'{"id":"u-42","name":"Kim","tier":"vip"}\'');
  }
  const now = Math.floor(Date.now() / 1000);
  const payload = IdentityPayload.safeParse({ site: options.site, iat: now, exp: now + ttl.data, customer });
  if (!payload.success) {
    const issue = payload.error.issues[0];
    throw new CliError(`${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
  }
  io.out(signIdentityToken(payload.data, secret));
  return 0;
}
