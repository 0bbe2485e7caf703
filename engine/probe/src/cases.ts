/**
 * The named cases of the trust issues, each as an attacker would try it over HTTP: starting a
 * conversation with an existing id without its token (409, no token in the answer, whoever asks),
 * staff posting as the customer (403), a zero-width-only message (400), and a journey calling a
 * built-in `baton.*` activity (refused at validate, naming the node).
 */
import type { Caller, ProbeContext } from './context';
import { probeJourney } from './context';
import { call, type Tally } from './http';

export async function caseProbes(context: ProbeContext, tally: Tally): Promise<void> {
  const { a } = context.conversations;
  const customerA = context.callers.find((caller) => caller.customerOf === a) as Caller;
  const others = context.callers.filter((caller) => caller.customerOf !== a);

  // Taking over a conversation by starting it again under its id.
  for (const caller of others) {
    const answer = await call(context.api, 'post', '/api/conversations', {
      headers: caller.headers(),
      json: { journeyId: context.journeyId, conversationId: a, customer: { id: 'probe-intruder' } },
    });
    const token = (answer.json as { token?: unknown } | undefined)?.token;
    tally.record(
      {
        category: 'case:takeover',
        method: 'post',
        path: `/api/conversations {conversationId: ${a}}`,
        role: caller.name,
        status: answer.status,
        want: '409 and no token',
        detail: token ? 'answered a customer token' : answer.text,
      },
      answer.status === 409 && token === undefined,
    );
  }

  // Only the customer writes as the customer.
  for (const caller of context.callers.filter((candidate) => candidate.roles.length > 0))
    for (const [path, json] of [
      [`/api/conversations/${a}/messages`, { text: 'written by staff' }],
      [`/api/conversations/${a}/survey`, { score: 1 }],
    ] as const) {
      const answer = await call(context.api, 'post', path, { headers: caller.headers(), json });
      tally.record(
        { category: 'case:as-customer', method: 'post', path, role: caller.name, status: answer.status, want: '403' },
        answer.status === 403,
      );
    }

  // A message of zero-width characters only is empty.
  const zeroWidth = await call(context.api, 'post', `/api/conversations/${a}/messages`, {
    headers: customerA.headers(),
    json: { text: '\u200b\u200c\u200d\u2060\ufeff' },
  });
  tally.record(
    {
      category: 'case:zero-width',
      method: 'post',
      path: `/api/conversations/${a}/messages`,
      role: customerA.name,
      status: zeroWidth.status,
      want: '400',
      detail: zeroWidth.text,
    },
    zeroWidth.status === 400,
  );

  // A journey calling Baton's own activities is refused at validate, naming the node.
  const journey = probeJourney(`${context.journeyId}-builtin`);
  const nodes = journey.nodes as Record<string, unknown>[];
  nodes.splice(2, 0, {
    id: 'forge',
    type: 'activity',
    position: { x: 0, y: 150 },
    data: { activity: 'baton.finishConversation' },
  });
  journey.edges = [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'forge' },
    { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'done' },
    { id: 'e4', source: 'forge', sourceHandle: 'success', target: 'done' },
  ];
  const designer = context.session('designer');
  const validated = await call(context.api, 'post', `/api/journeys/${context.journeyId}/validate`, {
    headers: designer.headers(),
    json: journey,
  });
  const body = validated.json as { ok?: boolean; diagnostics?: { nodeId?: string; message?: string }[] } | undefined;
  const named = body?.diagnostics?.some(
    (diagnostic) => diagnostic.nodeId === 'forge' && /baton\./.test(diagnostic.message ?? ''),
  );
  tally.record(
    {
      category: 'case:built-in',
      method: 'post',
      path: `/api/journeys/${context.journeyId}/validate`,
      role: designer.name,
      status: validated.status,
      want: 'ok: false naming the node',
      detail: validated.text,
    },
    validated.status < 500 && body?.ok === false && named === true,
  );
}
