/**
 * Hostile bodies on every state-changing JSON route, sent by a caller the route lets through (so the
 * body, not the access check, is what answers): over the size limit (413), nested past the depth
 * limit (400 naming where), zero-width-only and lone-surrogate text, bytes that are not UTF-8, and
 * values of the wrong type. None may answer 5xx or hang; every refusal is problem+json.
 */
import type { Caller, ProbeContext, ProbeRoute } from './context';
import { urlOf } from './context';
import { call, isProblem, type Answer, type Tally } from './http';

interface Variant {
  name: string;
  raw: (limit: number) => string | Uint8Array;
  /** What holds: a description and a check. */
  want: string;
  holds: (answer: Answer) => boolean;
}

const sane = (answer: Answer) => answer.status > 0 && answer.status < 500 && (answer.status < 400 || isProblem(answer));

const variants: Variant[] = [
  {
    name: 'oversized',
    raw: (limit) => JSON.stringify({ text: 'x'.repeat(limit + 1024) }),
    want: '413 problem+json',
    holds: (answer) => answer.status === 413 && isProblem(answer),
  },
  {
    name: 'deep',
    raw: () => '{"a":'.repeat(64) + '1' + '}'.repeat(64),
    want: '400 problem+json naming where',
    holds: (answer) =>
      answer.status === 400 &&
      isProblem(answer) &&
      ((answer.json as { errors?: { path?: string }[] })?.errors?.[0]?.path ?? '').startsWith('/a'),
  },
  {
    name: 'zero-width',
    raw: () => JSON.stringify({ text: '\u200b\u200c\u200d\u2060\ufeff', name: '\u200b', email: '\u200b' }),
    want: 'no 5xx, refusals problem+json',
    holds: sane,
  },
  {
    name: 'lone-surrogate',
    // Escaped as JSON allows; a lone surrogate is no character.
    raw: () => '{"text":"\\ud800 and \\udfff","name":"\\udbff","id":"\\ud83d"}',
    want: 'no 5xx, refusals problem+json',
    holds: sane,
  },
  {
    name: 'not-utf8',
    raw: () => Uint8Array.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d]),
    want: 'no 5xx, refusals problem+json',
    holds: sane,
  },
  {
    name: 'wrong-type',
    raw: () => '[1,"two",{"three":3}]',
    want: 'no 5xx, refusals problem+json',
    holds: sane,
  },
  {
    name: 'wrong-type',
    raw: () => JSON.stringify({ text: 12, journeyId: [], customer: 'x', roles: 'admin', email: true, nodes: {} }),
    want: 'no 5xx, refusals problem+json',
    holds: sane,
  },
];

/** A caller the route lets through: nobody on public routes, A's customer on customer routes, else an admin. */
function grantedCaller(context: ProbeContext, route: ProbeRoute): Caller {
  if (route.audience.includes('public')) return context.callers[0] as Caller;
  if (route.audience.includes('customer'))
    return context.callers.find((caller) => caller.customerOf === context.conversations.a) as Caller;
  return context.admin;
}

export async function bodyProbes(context: ProbeContext, tally: Tally, routes: ProbeRoute[], limit: number) {
  const targets = routes.filter(
    (route) =>
      route.method !== 'get' &&
      route.method !== 'delete' &&
      (route.bodyType === undefined || route.bodyType === 'application/json'),
  );
  for (const route of targets) {
    const caller = grantedCaller(context, route);
    const url = urlOf(route, context.conversations.a);
    for (const variant of variants) {
      const answer = await call(context.api, route.method, url, {
        headers: caller.headers(),
        raw: variant.raw(limit),
        contentType: 'application/json',
      });
      if (route.path === '/api/auth/logout') await caller.renew?.();
      tally.record(
        {
          category: `body:${variant.name}`,
          method: route.method,
          path: url,
          role: caller.name,
          status: answer.status,
          want: variant.want,
          detail: answer.text,
        },
        variant.holds(answer),
      );
    }
  }
}
