/** Identity tokens and what a start may assert (docs/security.md#identity-tokens): unit tests of the checks. */
import { createHmac } from 'node:crypto';
import type { CompiledJourney } from '@baton/schemas';
import { StartConversationBody } from '@baton/schemas';
import {
  identityOptionsFromEnv,
  maxIdentityTokenSeconds,
  signIdentityToken,
  verifyIdentityToken,
  IdentityTokenError,
  type IdentityOptions,
  type IdentityPayload,
} from '../src/api/identity';
import { HttpProblem } from '../src/api/problem';
import { startCustomer, startVariables } from '../src/api/start-inputs';

const secret = 'shop-secret-0123456789abcdefghijklmnop';
const options: IdentityOptions = { sites: {}, secret };
const now = Date.UTC(2026, 0, 1, 12);
const nowSeconds = now / 1000;
const payload: IdentityPayload = {
  site: 'shop',
  exp: nowSeconds + 600,
  customer: { id: 'u-42', name: 'Kim', email: 'kim@example.com', tier: 'vip', plan: 'pro' },
};

function refusal(run: () => unknown): IdentityTokenError {
  try {
    run();
  } catch (error) {
    if (error instanceof IdentityTokenError) return error;
    throw error;
  }
  throw new Error('expected the token to be refused');
}

describe('verifyIdentityToken', () => {
  it('a token signed with the site secret names the customer, verified', () => {
    const token = signIdentityToken(payload, secret);
    expect(verifyIdentityToken(token, options, now)).toEqual({ ...payload.customer, verified: true });
  });

  it('is the documented format: base64url(JSON payload) "." base64url(HMAC-SHA256 of the first part)', () => {
    // The way docs/security.md tells a host site to sign, written out independently of signIdentityToken.
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const mac = createHmac('sha256', secret).update(body).digest('base64url');
    expect(verifyIdentityToken(`${body}.${mac}`, options, now)).toMatchObject({ id: 'u-42', verified: true });
  });

  it('refuses a tampered payload (tier raised) with 401: the signature no longer matches', () => {
    const [, mac] = signIdentityToken({ ...payload, customer: { id: 'u-42', tier: 'standard' } }, secret).split('.');
    const forged = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const error = refusal(() => verifyIdentityToken(`${forged}.${mac}`, options, now));
    expect(error.status).toBe(401);
    expect(error.path).toBe('/identityToken');
    expect(error.message).toMatch(/signature does not match/);
  });

  it('refuses a token signed with another secret, and one whose signature is cut short', () => {
    const other = signIdentityToken(payload, 'another-secret-0123456789abcdefghijklmn');
    expect(refusal(() => verifyIdentityToken(other, options, now)).status).toBe(401);
    const short = signIdentityToken(payload, secret).slice(0, -4);
    expect(refusal(() => verifyIdentityToken(short, options, now)).status).toBe(401);
  });

  it('refuses an expired token (401) and one that lives too long (400), naming /identityToken/exp', () => {
    const expired = refusal(() =>
      verifyIdentityToken(signIdentityToken({ ...payload, exp: nowSeconds }, secret), options, now),
    );
    expect([expired.status, expired.path]).toEqual([401, '/identityToken/exp']);
    const tooLong = { ...payload, exp: nowSeconds + maxIdentityTokenSeconds + 1 };
    const long = refusal(() => verifyIdentityToken(signIdentityToken(tooLong, secret), options, now));
    expect([long.status, long.path]).toEqual([400, '/identityToken/exp']);
  });

  it('refuses a signed payload without exp, or one that claims verified itself, naming the field', () => {
    const { exp: _exp, ...noExp } = payload;
    const missing = refusal(() =>
      verifyIdentityToken(signIdentityToken(noExp as IdentityPayload, secret), options, now),
    );
    expect([missing.status, missing.path]).toEqual([400, '/identityToken/exp']);
    const claims = { ...payload, customer: { ...payload.customer, verified: true } };
    const verified = refusal(() => verifyIdentityToken(signIdentityToken(claims, secret), options, now));
    expect(verified.path).toBe('/identityToken/customer/verified');
  });

  it('refuses what is not a token (400) and every token when no secret is configured', () => {
    for (const bad of ['', 'abc', 'a.b.c', 'not base64!.abc', `${Buffer.from('{').toString('base64url')}.abc`])
      expect(refusal(() => verifyIdentityToken(bad, options, now)).status).toBe(400);
    const none = refusal(() => verifyIdentityToken(signIdentityToken(payload, secret), undefined, now));
    expect(none.message).toMatch(/accepts no identity tokens/);
  });

  it("per-site secrets: each site's own secret, and no fallback unless one is set", () => {
    const perSite: IdentityOptions = { sites: { shop: secret, help: 'help-secret-0123456789abcdefghijklmnop' } };
    const helpToken = signIdentityToken({ ...payload, site: 'help' }, 'help-secret-0123456789abcdefghijklmnop');
    expect(verifyIdentityToken(helpToken, perSite, now).verified).toBe(true);
    // A token of site "help" signed with the shop's secret is not the help site's.
    expect(
      refusal(() => verifyIdentityToken(signIdentityToken({ ...payload, site: 'help' }, secret), perSite, now)).status,
    ).toBe(401);
    const unknown = refusal(() =>
      verifyIdentityToken(signIdentityToken({ ...payload, site: 'blog' }, secret), perSite, now),
    );
    expect([unknown.status, unknown.path]).toEqual([401, '/identityToken/site']);
  });
});

describe('identityOptionsFromEnv', () => {
  it('reads one secret and per-site secrets; none: undefined', () => {
    expect(identityOptionsFromEnv({})).toBeUndefined();
    expect(
      identityOptionsFromEnv({ BATON_IDENTITY_SECRET: secret, BATON_IDENTITY_SECRETS: `help=${secret}x=y=` }),
    ).toEqual({ sites: { help: `${secret}x=y=` }, secret });
  });

  it('refuses a short secret naming the variable and the site, never the secret', () => {
    expect(() => identityOptionsFromEnv({ BATON_IDENTITY_SECRET: 'short-one' })).toThrow(/BATON_IDENTITY_SECRET: .*32/);
    const error = (() => {
      try {
        identityOptionsFromEnv({ BATON_IDENTITY_SECRETS: 'help=tiny-secret' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/site "help"/);
    expect(error?.message).not.toContain('tiny-secret');
    expect(() => identityOptionsFromEnv({ BATON_IDENTITY_SECRETS: secret })).toThrow(/site=secret/);
  });
});

describe('startCustomer', () => {
  it('an anonymous claim is kept but unverified', () => {
    expect(startCustomer({ customer: { id: 'c1', tier: 'vip' } }, options, now)).toEqual({
      id: 'c1',
      tier: 'vip',
      verified: false,
    });
  });

  it('a token verifies; a bad one is an HttpProblem naming /identityToken', () => {
    expect(startCustomer({ identityToken: signIdentityToken(payload, secret) }, options, now).verified).toBe(true);
    const refused = (() => {
      try {
        startCustomer({ identityToken: `${signIdentityToken(payload, secret)}x` }, options, now);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(HttpProblem);
    expect(refused).toMatchObject({ status: 401, errors: [{ path: '/identityToken' }] });
  });

  it("the start body refuses a customer's own verified flag, and a customer with a token", () => {
    const claimed = StartConversationBody.safeParse({ journeyId: 'j', customer: { id: 'c', verified: true } });
    expect(claimed.success ? [] : claimed.error.issues.map((i) => i.path.join('/'))).toEqual(['customer/verified']);
    const both = StartConversationBody.safeParse({ journeyId: 'j', customer: { id: 'c' }, identityToken: 'a.b' });
    expect(both.success ? [] : both.error.issues.map((i) => i.path.join('/'))).toEqual(['customer']);
    const neither = StartConversationBody.safeParse({ journeyId: 'j' });
    expect(neither.success).toBe(false);
  });
});

describe('startVariables', () => {
  const journey = {
    id: 'j',
    variables: {
      orderId: { type: 'string', input: true },
      count: { type: 'number', input: true },
      anything: { type: 'any', input: true },
      identityVerified: { type: 'boolean' },
    },
  } as unknown as CompiledJourney;

  it('takes declared inputs of their type', () => {
    const given = { orderId: 'A-1', count: 2, anything: null };
    expect(startVariables(journey, given)).toEqual(given);
  });

  it('refuses an undeclared variable, a variable not declared an input and a value of another type, naming each', () => {
    let problem: unknown;
    try {
      startVariables(journey, { orderId: 7, identityVerified: true, note: 'verified by phone' });
    } catch (error) {
      problem = error;
    }
    expect(problem).toBeInstanceOf(HttpProblem);
    const { status, errors } = problem as HttpProblem;
    expect(status).toBe(400);
    expect(errors).toEqual([
      { path: '/variables/orderId', message: '"orderId" is declared string; got a number' },
      {
        path: '/variables/identityVerified',
        message: '"identityVerified" is not an input of journey "j" (its declaration has no "input": true)',
      },
      { path: '/variables/note', message: 'journey "j" declares no variable "note"' },
    ]);
  });
});
