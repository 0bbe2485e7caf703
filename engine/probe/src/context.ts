/**
 * What the probe needs from a stack before it attacks it: the routes and their audiences from the
 * OpenAPI document the API serves (`x-baton-audience`, generated from the route table), one signed-in
 * user of each staff role (created through the admin API), and two conversations with their customer
 * tokens (on a journey of the probe's own, published through the API).
 */
import { randomBytes } from 'node:crypto';
import { call, type Answer } from './http';

export interface ProbeRoute {
  method: string;
  /** As the document writes it: `/api/journeys/{id}`. */
  path: string;
  audience: string[];
  /** The media type of its request body, when it declares one. */
  bodyType?: string;
}

export interface Caller {
  name: string;
  /** Staff roles held (none for a customer or nobody). */
  roles: string[];
  /** The conversation whose customer token this is. */
  customerOf?: string;
  headers(): Record<string, string>;
  /** Sign in again (after the probe called logout). */
  renew?(): Promise<void>;
}

export interface Admin {
  /** An admin API key, or an admin's email and password. */
  apiKey?: string;
  email?: string;
  password?: string;
}

export interface ProbeContext {
  api: string;
  routes: ProbeRoute[];
  staffRoles: string[];
  callers: Caller[];
  /** One signed-in admin (session cookie and CSRF token). */
  admin: Caller;
  session(role: string): Caller;
  conversations: { a: string; b: string };
  journeyId: string;
}

type Document = { paths: Record<string, Record<string, { 'x-baton-audience'?: string[]; requestBody?: unknown }>> };

/** The routes of the document (every operation must declare its audience, else it is a finding of its own). */
export function routesOf(document: Document): ProbeRoute[] {
  const routes: ProbeRoute[] = [];
  for (const [path, operations] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(operations)) {
      const content = (operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content;
      const bodyType = content ? Object.keys(content)[0] : undefined;
      routes.push({
        method,
        path,
        audience: operation['x-baton-audience'] ?? [],
        ...(bodyType && { bodyType }),
      });
    }
  return routes;
}

const fail = (what: string, answer: Answer): never => {
  throw new Error(`probe setup: ${what} answered ${answer.status} ${answer.text.slice(0, 300)}`);
};

async function signIn(api: string, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const answer = await call(api, 'post', '/api/auth/login', { json: { email, password } });
  if (answer.status !== 200) fail(`sign-in of ${email}`, answer);
  const cookie = (answer.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  return { cookie, csrf: (answer.json as { csrfToken: string }).csrfToken };
}

function sessionCaller(api: string, name: string, roles: string[], email: string, password: string) {
  return async (): Promise<Caller> => {
    let session = await signIn(api, email, password);
    return {
      name,
      roles,
      headers: () => ({ cookie: session.cookie, 'x-csrf-token': session.csrf }),
      renew: async () => {
        session = await signIn(api, email, password);
      },
    };
  };
}

/** start → ask → end: a conversation that waits for its customer. */
export function probeJourney(id: string): Record<string, unknown> {
  const at = (y: number) => ({ x: 0, y });
  return {
    schemaVersion: 1,
    id,
    name: 'Security probe',
    variables: { need: { type: 'string', description: 'What the customer asked' } },
    nodes: [
      { id: 'start', type: 'start', position: at(0), data: {} },
      { id: 'ask', type: 'ask', position: at(100), data: { prompt: 'What do you need?', variable: 'need' } },
      { id: 'done', type: 'end', position: at(200), data: { outcome: 'resolved_by_bot' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
      { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'done' },
      { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'done' },
    ],
  };
}

export async function prepare(api: string, admin: Admin, document?: (doc: Document) => void): Promise<ProbeContext> {
  const docAnswer = await call(api, 'get', '/api/openapi.json');
  if (docAnswer.status !== 200) fail('GET /api/openapi.json', docAnswer);
  const doc = docAnswer.json as Document;
  document?.(doc);
  const routes = routesOf(doc);
  const staffRoles = [...new Set(routes.flatMap((route) => route.audience))]
    .filter((audience) => audience !== 'public' && audience !== 'customer')
    .sort();

  let adminHeaders: () => Record<string, string>;
  if (admin.apiKey) adminHeaders = () => ({ authorization: `Bearer ${admin.apiKey}` });
  else if (admin.email && admin.password) {
    const session = await signIn(api, admin.email, admin.password);
    adminHeaders = () => ({ cookie: session.cookie, 'x-csrf-token': session.csrf });
  } else
    throw new Error('probe: give an admin API key (BATON_PROBE_API_KEY) or BATON_PROBE_EMAIL and BATON_PROBE_PASSWORD');

  const run = randomBytes(4).toString('hex');
  const sessions = new Map<string, Caller>();
  for (const role of staffRoles) {
    const email = `probe-${role}-${run}@example.com`;
    const password = `${randomBytes(18).toString('base64url')}-Pr0be`;
    const created = await call(api, 'post', '/api/admin/users', {
      headers: adminHeaders(),
      json: { email, name: `Probe ${role}`, password, roles: [role] },
    });
    if (created.status !== 201) fail(`creating the ${role} user`, created);
    sessions.set(role, await sessionCaller(api, `${role} (session)`, [role], email, password)());
  }
  const admin_ = sessions.get('admin');
  if (!admin_) throw new Error('probe: the document names no admin role');

  const journeyId = `probe-${run}`;
  const designer = { headers: adminHeaders() };
  const saved = await call(api, 'post', '/api/journeys', { ...designer, json: probeJourney(journeyId) });
  if (saved.status !== 201) fail('saving the probe journey', saved);
  const published = await call(api, 'post', `/api/journeys/${journeyId}/publish`, {
    ...designer,
    json: { author: 'probe' },
  });
  if (published.status !== 201) fail('publishing the probe journey', published);
  const start = async (name: string) => {
    const answer = await call(api, 'post', '/api/conversations', {
      json: { journeyId, customer: { id: `probe-${name}-${run}`, name: `Probe ${name}` } },
    });
    if (answer.status !== 201) fail('starting a conversation', answer);
    return answer.json as { conversationId: string; token: string };
  };
  const a = await start('a');
  const b = await start('b');
  const customer = (name: string, conversation: { conversationId: string; token: string }): Caller => ({
    name,
    roles: [],
    customerOf: conversation.conversationId,
    headers: () => ({ authorization: `Bearer ${conversation.token}` }),
  });
  const callers: Caller[] = [
    { name: 'no credentials', roles: [], headers: () => ({}) },
    customer('customer of A', a),
    customer('customer of B', b),
    ...sessions.values(),
  ];
  return {
    api,
    routes,
    staffRoles,
    callers,
    admin: admin_,
    session: (role) => {
      const found = sessions.get(role);
      if (!found) throw new Error(`probe: no ${role} session`);
      return found;
    },
    conversations: { a: a.conversationId, b: b.conversationId },
    journeyId,
  };
}

/** A concrete URL: a conversation route points at `conversation`, versions at 1, every other parameter at a placeholder. */
export function urlOf(route: ProbeRoute, conversation: string): string {
  return route.path
    .replace('{id}', route.path.startsWith('/api/conversations/') ? conversation : 'probe-placeholder')
    .replace('{version}', '1')
    .replace(/\{\w+\}/g, 'probe-placeholder');
}

/** Every `step`-th of `items` so that at most `count` remain (the small run's sample), or all. */
export function sample<T>(items: T[], count: number | undefined): T[] {
  if (count === undefined || items.length <= count) return items;
  const step = items.length / count;
  return Array.from({ length: count }, (_, index) => items[Math.floor(index * step)] as T);
}
