/** `baton identity sign`: a token the API accepts, signed with the secret from the environment only. */
import { verifyIdentityToken } from '@baton/server/api/identity';
import { main } from '../src/main';
import type { Io } from '../src/io';

const secret = 'cli-identity-secret-0123456789abcdefghij';

async function run(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: process.cwd(), env, color: false };
  const code = await main(['node', 'baton', ...args], io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('baton identity sign', () => {
  it('prints a token the API verifies: the customer, verified, expiring after --ttl', async () => {
    const before = Date.now();
    const { code, out } = await run(
      ['identity', 'sign', '{"id":"u-42","name":"Kim","tier":"vip"}', '--site', 'shop', '--ttl', '120'],
      { BATON_IDENTITY_SECRETS: `shop=${secret}` },
    );
    expect(code).toBe(0);
    const token = out.trim();
    expect(verifyIdentityToken(token, { sites: { shop: secret } }, before)).toEqual({
      id: 'u-42',
      name: 'Kim',
      tier: 'vip',
      verified: true,
    });
    // Past its ttl the same token is refused.
    expect(() => verifyIdentityToken(token, { sites: { shop: secret } }, before + 121_000)).toThrow(/expired/);
  });

  it('refuses without a secret for the site, with a customer claiming verified, or a ttl over a day', async () => {
    const noSecret = await run(['identity', 'sign', '{"id":"u"}', '--site', 'shop'], {});
    expect([noSecret.code, noSecret.out]).toEqual([2, '']);
    expect(noSecret.err).toMatch(/no identity secret for site "shop"/);
    const env = { BATON_IDENTITY_SECRET: secret };
    const claims = await run(['identity', 'sign', '{"id":"u","verified":true}', '--site', 'shop'], env);
    expect([claims.code, claims.err]).toEqual([2, expect.stringMatching(/^customer\.verified: /)]);
    const long = await run(['identity', 'sign', '{"id":"u"}', '--site', 'shop', '--ttl', '90000'], env);
    expect([long.code, long.err]).toEqual([2, expect.stringMatching(/^--ttl: /)]);
  });
});
