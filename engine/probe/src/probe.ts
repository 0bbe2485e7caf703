/**
 * The security probe: every route of the API's OpenAPI document with every kind of caller (nobody,
 * a customer, each staff role), customer routes with another conversation's token, CSRF, hostile
 * bodies and the named cases of the trust issues. Each attempt's expected answer comes from the
 * audience the document declares for the route (`x-baton-audience`, generated from the route table);
 * an attempt that gets anything else, or a 5xx, or no answer, is a hole.
 */
import { bodyProbes } from './bodies';
import { caseProbes } from './cases';
import { prepare, sample, urlOf, type Admin, type Caller, type ProbeContext, type ProbeRoute } from './context';
import { call, Tally, type Answer } from './http';

export interface ProbeOptions {
  api: string;
  admin: Admin;
  /** A sample of routes per category instead of all (the CI run). */
  small?: boolean;
  /** Only the routes this keeps. */
  only?: (route: ProbeRoute) => boolean;
  /** Change the document before the probe reads it (the test plants a wrong expectation with it). */
  document?: Parameters<typeof prepare>[2];
  /** The JSON body limit the API enforces (bytes); oversized bodies are one KB more. */
  bodyLimit?: number;
}

export type Want = 'through' | 401 | 403;

/** What the declared audience says a caller gets: let through (the handler runs), 401 or 403. */
export function expected(route: ProbeRoute, caller: Caller, conversation: string): Want {
  if (route.audience.includes('public')) return 'through';
  if (caller.customerOf !== undefined)
    return route.audience.includes('customer') && caller.customerOf === conversation ? 'through' : 403;
  if (caller.roles.length === 0) return 401;
  // `admin` holds every staff role, never a customer's.
  const staffAudience = route.audience.some((audience) => audience !== 'customer');
  const granted =
    (caller.roles.includes('admin') && staffAudience) || caller.roles.some((role) => route.audience.includes(role));
  return granted ? 'through' : 403;
}

/** Whether an answer is what was wanted. "Through" on a public route may be any refusal of the handler's own (me says 401). */
export function holds(route: ProbeRoute, want: Want, answer: Answer): boolean {
  if (answer.status === 0 || answer.status >= 500) return false;
  if (want !== 'through') return answer.status === want;
  if (route.audience.includes('public')) return true;
  return answer.status !== 401 && answer.status !== 403;
}

const unsafe = (method: string) => method !== 'get' && method !== 'head' && method !== 'options';

async function attempt(context: ProbeContext, route: ProbeRoute, caller: Caller, url: string): Promise<Answer> {
  const answer = await call(context.api, route.method, url, {
    headers: caller.headers(),
    ...(unsafe(route.method) && route.method !== 'delete' && { json: {} }),
  });
  if (route.path === '/api/auth/logout') await caller.renew?.();
  return answer;
}

async function accessProbes(context: ProbeContext, tally: Tally, routes: ProbeRoute[]): Promise<void> {
  const { a, b } = context.conversations;
  for (const route of routes)
    for (const caller of context.callers) {
      // Each customer on its own conversation; the other customer's token is the "cross" category.
      if (caller.customerOf === b) continue;
      const url = urlOf(route, a);
      const want = expected(route, caller, a);
      const answer = await attempt(context, route, caller, url);
      tally.record(
        {
          category: 'access',
          method: route.method,
          path: url,
          role: caller.name,
          status: answer.status,
          want: String(want),
          detail: answer.text,
        },
        holds(route, want, answer),
      );
    }
}

async function crossProbes(context: ProbeContext, tally: Tally, routes: ProbeRoute[]): Promise<void> {
  const { a, b } = context.conversations;
  const other = context.callers.find((caller) => caller.customerOf === b) as Caller;
  for (const route of routes.filter((candidate) => candidate.audience.includes('customer'))) {
    const url = urlOf(route, a);
    const want = expected(route, other, a);
    const answer = await attempt(context, route, other, url);
    tally.record(
      {
        category: 'cross-token',
        method: route.method,
        path: url,
        role: other.name,
        status: answer.status,
        want: String(want),
      },
      holds(route, want, answer),
    );
  }
}

/** A state-changing request signed in by cookie from a foreign origin, without the CSRF token: 403, and no CORS grant. */
async function csrfProbes(context: ProbeContext, tally: Tally, routes: ProbeRoute[]): Promise<void> {
  const foreign = 'https://attacker.example';
  for (const route of routes.filter(
    (candidate) => unsafe(candidate.method) && !candidate.audience.includes('public'),
  )) {
    const url = urlOf(route, context.conversations.a);
    const { cookie } = context.admin.headers();
    const answer = await call(context.api, route.method, url, {
      headers: { cookie: cookie ?? '', origin: foreign },
      ...(route.method !== 'delete' && { json: {} }),
    });
    const granted = answer.headers.get('access-control-allow-origin');
    tally.record(
      {
        category: 'csrf',
        method: route.method,
        path: url,
        role: 'admin cookie, foreign Origin, no CSRF token',
        status: answer.status,
        want: '403 and no CORS grant',
        detail: granted ? `access-control-allow-origin: ${granted}` : answer.text,
      },
      // Where the admin's role is let through, the refusal must be the CSRF check's.
      answer.status === 403 &&
        (expected(route, context.admin, context.conversations.a) !== 'through' || /CSRF/.test(answer.text)) &&
        granted !== foreign &&
        granted !== '*',
    );
  }
}

export interface ProbeResult {
  tally: Tally;
  context: ProbeContext;
}

export async function runProbe(options: ProbeOptions): Promise<ProbeResult> {
  const context = await prepare(options.api, options.admin, options.document);
  const tally = new Tally();
  const routes = context.routes.filter((route) => options.only?.(route) ?? true);
  // The small run: a spread of the routes, and every customer route (few, and the most exposed).
  const count = options.small ? 10 : undefined;
  const spread = sample(routes, count);
  const picked = [...new Set([...spread, ...routes.filter((route) => route.audience.includes('customer'))])];
  for (const route of routes.filter((candidate) => candidate.audience.length === 0))
    tally.record(
      {
        category: 'declared',
        method: route.method,
        path: route.path,
        role: '-',
        status: 0,
        want: 'an x-baton-audience',
      },
      false,
    );
  await accessProbes(context, tally, picked);
  await crossProbes(context, tally, picked);
  await csrfProbes(context, tally, sample(picked, count));
  await bodyProbes(context, tally, sample(picked, count), options.bodyLimit ?? 1024 * 1024);
  if (!options.only) await caseProbes(context, tally);
  return { tally, context };
}
