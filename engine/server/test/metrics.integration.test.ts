/**
 * GET /api/metrics on the real stack (Temporal dev server, Mongo-wire server, a real worker): real
 * conversations are run over HTTP (bot-resolved and confirmed, bot-resolved without a word from the
 * customer, handed off + claimed + resolved + surveyed, handed off without a survey, one on a second
 * version still in progress), agents give their verdicts, and every measure's numbers are checked.
 *
 * The agents' verdicts, intent corrections and the reopening go through the inbox routes and the
 * conversation itself, as in production.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { refreshTicketMeasures } from '@baton/store';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

const passwordReset = JSON.parse(
  readFileSync(join(__dirname, '../../../examples/password-reset/journey.json'), 'utf8'),
) as {
  nodes: { id: string; data: Record<string, unknown> }[];
  edges: { id: string; source: string; sourceHandle: string; target: string }[];
} & Record<string, unknown>;
// A reply after the agent's resolution goes back to the handoff, which reopens its ticket.
if (!passwordReset.edges.some((edge) => edge.source === 'survey_agent' && edge.sourceHandle === 'reopened')) {
  passwordReset.edges.push({
    id: 'e_survey_agent_reopened',
    source: 'survey_agent',
    sourceHandle: 'reopened',
    target: 'escalate',
  });
}

/** A journey that answers and ends without asking whether it helped: its resolutions are "assumed". */
const faq = {
  schemaVersion: 1,
  id: 'faq-hours',
  name: 'Opening hours',
  version: 0,
  variables: { question: { type: 'string' } },
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    {
      id: 'ask',
      type: 'ask',
      position: { x: 0, y: 100 },
      data: { prompt: 'What would you like to know?', variable: 'question', timeoutSeconds: 600 },
    },
    {
      id: 'answer',
      type: 'message',
      position: { x: 0, y: 200 },
      data: { text: 'We are open 9 to 5, Monday to Friday.' },
    },
    { id: 'done', type: 'end', position: { x: 0, y: 300 }, data: { outcome: 'resolved_by_bot' } },
    { id: 'gone', type: 'end', position: { x: 200, y: 200 }, data: { outcome: 'abandoned' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'answer' },
    { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'gone' },
    { id: 'e4', source: 'answer', sourceHandle: 'next', target: 'done' },
  ],
};

const sam = { id: 'agent-sam', name: 'Sam' };
const kim = { id: 'agent-kim', name: 'Kim' };

let stack: TestStack;
let startedAt: number;
const api = () => request(stack.app);

async function until<T>(what: string, read: () => Promise<T | null | undefined | false>): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function publish(journey: Record<string, unknown>): Promise<number> {
  const saved = await api()
    .put(`/api/journeys/${String(journey.id)}`)
    .send(journey);
  expect(saved.status).toBe(200);
  const published = await api()
    .post(`/api/journeys/${String(journey.id)}/publish`)
    .send({ author: 'metrics-test' });
  expect([200, 201]).toContain(published.status);
  return published.body.version as number;
}

async function start(journeyId: string, customerId: string, version?: number): Promise<string> {
  const res = await api()
    .post('/api/conversations')
    .send({
      journeyId,
      customer: { id: customerId, name: 'Ana', email: `${customerId}@example.com` },
      ...(version !== undefined && { version }),
    })
    .expect(201);
  return res.body.conversationId as string;
}

async function say(id: string, clientMessageId: string, text: string): Promise<void> {
  await api().post(`/api/conversations/${id}/messages`).send({ clientMessageId, text }).expect(201);
}

/** The projection the metrics read, once it shows what the conversation did. */
async function projected(id: string, check: (c: { status: string; handoffs: unknown[] }) => boolean): Promise<void> {
  await until(`the projection of ${id}`, async () => {
    const record = await stack.store.getConversation(id);
    return record !== null && check(record);
  });
}

async function ticketOf(conversationId: string): Promise<string> {
  return until(
    `the ticket of ${conversationId}`,
    async () => (await stack.store.listTickets({})).find((t) => t.conversationId === conversationId)?.ticketId,
  );
}

const conv: Record<string, string> = {};
const tickets: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack();
  startedAt = Date.now() - 1000;
  await api().post('/api/journeys').send(passwordReset).expect(201);
  expect(await publish(passwordReset)).toBe(1);
  await api().post('/api/journeys').send(faq).expect(201);
  expect(await publish(faq)).toBe(1);

  // 1. Bot-resolved, confirmed: "yes it worked", then the survey.
  conv.confirmed = await start('password-reset', 'c-confirmed');
  await say(conv.confirmed, 'm1', 'I forgot my password');
  await say(conv.confirmed, 'm2', 'yes it worked, thanks');
  await api().post(`/api/conversations/${conv.confirmed}/survey`).send({ ces: 7, csat: 5 }).expect(200);
  await projected(conv.confirmed, (c) => c.status === 'ended');

  // 2. Bot-resolved without confirmation (the FAQ answered and ended).
  conv.assumed = await start('faq-hours', 'c-assumed');
  await say(conv.assumed, 'm1', 'When are you open?');
  await projected(conv.assumed, (c) => c.status === 'ended');

  // 3. Handed off on frustration, claimed by Sam, resolved, surveyed; Sam found the summary unhelpful.
  conv.handedOff = await start('password-reset', 'c-handed-off');
  await say(conv.handedOff, 'm1', 'I cannot log in to my account');
  await say(conv.handedOff, 'm2', "No it did not work. This is ridiculous, I've tried everything!");
  tickets.handedOff = await ticketOf(conv.handedOff);
  await api().post(`/api/tickets/${tickets.handedOff}/claim`).send({ agent: sam }).expect(200);
  await api()
    .post(`/api/tickets/${tickets.handedOff}/messages`)
    .send({ agent: sam, clientMessageId: 'a1', text: 'I unlocked your account.' })
    .expect(201);
  await api()
    .post(`/api/tickets/${tickets.handedOff}/resolve`)
    .send({ agent: sam, resolution: 'unlocked' })
    .expect(200);
  await api().post(`/api/conversations/${conv.handedOff}/survey`).send({ ces: 3, csat: 2 }).expect(200);
  await projected(conv.handedOff, (c) => c.status === 'ended');

  // 4. Asked for a person straight away; Kim claims and resolves; the customer writes again during the
  //    follow-up, which reopens the ticket; Kim resolves it again. No survey yet.
  conv.human = await start('password-reset', 'c-human');
  await say(conv.human, 'm1', 'I want to speak to a human');
  tickets.human = await ticketOf(conv.human);
  await api().post(`/api/tickets/${tickets.human}/claim`).send({ agent: kim }).expect(200);
  await api().post(`/api/tickets/${tickets.human}/resolve`).send({ agent: kim }).expect(200);
  await say(conv.human, 'm2', 'Sorry, it still does not let me in');
  await until(
    'the reopened ticket',
    async () => ((await stack.store.getTicket(tickets.human!)) as { reopened?: number } | null)?.reopened === 1,
  );
  await api().post(`/api/tickets/${tickets.human}/resolve`).send({ agent: kim }).expect(200);
  await projected(
    conv.human,
    (c) => c.handoffs.length === 1 && (c as unknown as { waiting: { kind: string } | null }).waiting?.kind === 'survey',
  );

  // The agents' verdicts through the inbox (a second verdict by the same agent replaces the first),
  // and Kim's correction of the bot's intent (the triage sent it the wrong way).
  const verdict = (ticketId: string, agent: typeof sam, summaryHelpful: boolean, pulse: number) =>
    api().post(`/api/tickets/${ticketId}/feedback`).send({ agent, summaryHelpful, pulse }).expect(201);
  await verdict(tickets.handedOff, sam, true, 5);
  await verdict(tickets.handedOff, sam, false, 2);
  await verdict(tickets.human, kim, true, 4);
  await api().post(`/api/tickets/${tickets.human}/intent`).send({ agent: kim, intent: 'reset_password' }).expect(201);

  // 5. Version 2 of password-reset: confirmed by the customer, still waiting for the survey.
  const v2 = structuredClone(passwordReset);
  const greet = v2.nodes.find((node) => node.id === 'greet');
  if (!greet) throw new Error('fixture changed');
  greet.data.text = 'Hello {{customer.name}}, Baton here.';
  expect(await publish(v2)).toBe(2);
  conv.v2 = await start('password-reset', 'c-v2', 2);
  await say(conv.v2, 'm1', 'reset my password');
  await say(conv.v2, 'm2', 'yes it worked');
  await projected(conv.v2, (c) => c.status === 'active');
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

type Report = {
  filter: Record<string, unknown>;
  overall: Measures;
  journeys: { journeyId: string; measures: Measures; versions: { version: number; measures: Measures }[] }[];
  failedHandoffs: {
    ticketId: string;
    reasons: string[];
    journeyId: string;
    version: number;
    assignee: string | null;
  }[];
};
type Measures = {
  conversations: {
    total: number;
    ended: number;
    inProgress: number;
    escalated: number;
    deflected: { confirmed: number; assumed: number; total: number };
    rates: Record<string, number | null>;
  };
  ces: { count: number; mean: number | null; distribution: Record<string, number> };
  csat: { count: number; mean: number | null; distribution: Record<string, number> };
  handoffs: {
    tickets: number;
    claimed: number;
    resolved: number;
    reopened: number;
    resolvedWithoutReopen: number;
    resolutionRate: number | null;
    handleTime: { count: number; p50Seconds: number | null; p90Seconds: number | null; meanSeconds: number | null };
  };
  agents: {
    summaryVerdicts: number;
    summaryHelpful: number;
    helpfulRate: number | null;
    pulse: { count: number; mean: number | null; distribution: Record<string, number> };
  };
};

async function metrics(query: string): Promise<Report> {
  const res = await api()
    .get(`/api/metrics?from=${startedAt}&to=${Date.now() + 60_000}${query}`)
    .expect(200);
  return res.body as Report;
}

describe('GET /api/metrics', () => {
  it('counts every measure overall, per journey and per version', async () => {
    const report = await metrics('');
    const { overall } = report;

    expect(overall.conversations).toEqual({
      total: 5,
      ended: 3,
      inProgress: 2, // the human hand-off waits for its survey, v2 too
      escalated: 2,
      deflected: { confirmed: 1, assumed: 1, total: 2 },
      rates: { escalated: 0.3333, deflectedConfirmed: 0.3333, deflectedAssumed: 0.3333 },
    });
    expect(overall.ces).toEqual({ count: 2, mean: 5, distribution: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 1 } });
    expect(overall.csat).toEqual({ count: 2, mean: 3.5, distribution: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 1 } });

    // Handle time: claimed → resolved, as the store recorded it.
    const durations = await Promise.all(
      [tickets.handedOff!, tickets.human!].map(async (id) => {
        const ticket = await stack.store.getTicket(id);
        return ((ticket!.resolvedAt as number) - (ticket!.claimedAt as number)) / 1000;
      }),
    );
    durations.sort((a, b) => a - b);
    // Percentiles come from the read models' buckets of ×1.01: within 0.5 % (docs/performance.md).
    const { handleTime } = overall.handoffs;
    expect(Math.abs(handleTime.p50Seconds! - durations[0]!)).toBeLessThanOrEqual(durations[0]! * 0.005 + 0.001);
    expect(Math.abs(handleTime.p90Seconds! - durations[1]!)).toBeLessThanOrEqual(durations[1]! * 0.005 + 0.001);
    expect(overall.handoffs).toEqual({
      tickets: 2,
      claimed: 2,
      resolved: 2,
      reopened: 1, // Kim's ticket, reopened by the customer right after its resolution
      resolvedWithoutReopen: 1,
      resolutionRate: 0.5,
      handleTime: {
        count: 2,
        p50Seconds: handleTime.p50Seconds,
        p90Seconds: handleTime.p90Seconds,
        meanSeconds: Math.round(((durations[0]! + durations[1]!) / 2) * 1000) / 1000,
      },
    });
    // Sam's latest verdict (unhelpful, pulse 2) replaces his first; Kim found it helpful (pulse 4).
    expect(overall.agents).toEqual({
      summaryVerdicts: 2,
      summaryHelpful: 1,
      helpfulRate: 0.5,
      pulse: { count: 2, mean: 3, distribution: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 0 } },
    });

    expect(report.journeys.map((j) => j.journeyId)).toEqual(['faq-hours', 'password-reset']);
    const faqMeasures = report.journeys[0]!.measures;
    expect(faqMeasures.conversations).toMatchObject({
      total: 1,
      ended: 1,
      escalated: 0,
      deflected: { confirmed: 0, assumed: 1, total: 1 },
    });
    expect(faqMeasures.handoffs.tickets).toBe(0);
    expect(faqMeasures.ces.count).toBe(0);

    const reset = report.journeys[1]!;
    expect(reset.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(reset.measures.conversations).toMatchObject({
      total: 4,
      escalated: 2,
      deflected: { confirmed: 1, assumed: 0, total: 1 },
    });
    const [v1, v2] = reset.versions;
    expect(v1!.measures.conversations).toMatchObject({ total: 3, ended: 2, inProgress: 1, escalated: 2 });
    expect(v1!.measures.handoffs.tickets).toBe(2);
    expect(v2!.measures.conversations).toMatchObject({
      total: 1,
      ended: 0,
      inProgress: 1,
      escalated: 0,
      deflected: { total: 0 },
    });
    expect(v2!.measures.handoffs.tickets).toBe(0);
  });

  it('lists the failed handoffs for the weekly review', async () => {
    const report = await metrics('');
    const byTicket = Object.fromEntries(report.failedHandoffs.map((row) => [row.ticketId, row]));
    expect(Object.keys(byTicket).sort()).toEqual([tickets.handedOff, tickets.human].sort());
    expect(byTicket[tickets.handedOff!]).toMatchObject({
      reasons: ['summary_unhelpful'],
      journeyId: 'password-reset',
      version: 1,
      assignee: 'Sam',
    });
    expect(byTicket[tickets.human!]).toMatchObject({
      reasons: ['misrouted', 'reopened'],
      assignee: 'Kim',
      correctedIntent: { from: 'human', to: 'reset_password' },
    });
  });

  it('counts a reopen inside the window as a failed resolution, and one after it as a new request', async () => {
    // Move the reopen to 48 hours after the latest resolution (the store's own event, edited in place).
    const doc = await stack.store.collection('tickets').findOne({ ticketId: tickets.human });
    const events = doc!.routingEvents as { at: number; type: string; detail: string }[];
    expect(events.filter((event) => event.type === 'reopened')).toHaveLength(1);
    const late = events.map((event) =>
      event.type === 'reopened' ? { ...event, at: (doc!.resolvedAt as number) + 48 * 3_600_000 } : event,
    );
    await stack.store.collection('tickets').updateOne({ ticketId: tickets.human }, { $set: { routingEvents: late } });
    // A writer of tickets brings the ticket's measures in line after its write (read-model-measures-store.ts).
    const db = stack.store.collection('tickets').db;
    await refreshTicketMeasures(db, tickets.human!);
    try {
      const within = await metrics('&reopenWindowHours=72');
      expect(within.overall.handoffs).toMatchObject({
        resolved: 2,
        reopened: 1,
        resolvedWithoutReopen: 1,
        resolutionRate: 0.5,
      });
      const outside = await metrics('&reopenWindowHours=24');
      expect(outside.overall.handoffs).toMatchObject({
        resolved: 2,
        reopened: 0,
        resolvedWithoutReopen: 2,
        resolutionRate: 1,
      });
      expect(outside.failedHandoffs.find((row) => row.ticketId === tickets.human)?.reasons).toEqual(['misrouted']);
    } finally {
      await stack.store
        .collection('tickets')
        .updateOne({ ticketId: tickets.human }, { $set: { routingEvents: events } });
      await refreshTicketMeasures(db, tickets.human!);
    }
  });

  it('filters by journey and version, and by period', async () => {
    const v1 = await metrics('&journeyId=password-reset&version=1');
    expect(v1.filter).toEqual({ journeyId: 'password-reset', version: 1 });
    expect(v1.journeys.map((j) => j.journeyId)).toEqual(['password-reset']);
    expect(v1.journeys[0]!.versions.map((v) => v.version)).toEqual([1]);
    expect(v1.overall.conversations.total).toBe(3);
    expect(v1.overall.ces.count).toBe(2);

    // The report covers whole UTC days: the day before the first conversation's.
    const midnight = Math.floor(startedAt / 86_400_000) * 86_400_000;
    const before = await api()
      .get(`/api/metrics?from=${midnight - 86_400_000}&to=${midnight}`)
      .expect(200);
    expect(before.body.overall.conversations.total).toBe(0);
    expect(before.body.journeys).toEqual([]);
    expect(before.body.overall.ces.mean).toBeNull();
  });

  it('draws the trend per day, and per week for a long period, from the same conversations and answers', async () => {
    type Trend = {
      bucket: 'day' | 'week';
      points: {
        start: string;
        conversations: number;
        resolvedByBot: number;
        handedOff: number;
        csat: { count: number; mean: number | null };
      }[];
    };
    const sum = (trend: Trend) =>
      trend.points.reduce(
        (acc, p) => ({
          conversations: acc.conversations + p.conversations,
          resolvedByBot: acc.resolvedByBot + p.resolvedByBot,
          handedOff: acc.handedOff + p.handedOff,
          csatCount: acc.csatCount + p.csat.count,
        }),
        { conversations: 0, resolvedByBot: 0, handedOff: 0, csatCount: 0 },
      );
    const to = Date.now() + 60_000;
    const daily = (
      await api()
        .get(`/api/metrics?from=${to - 7 * 86_400_000}&to=${to}`)
        .expect(200)
    ).body as {
      trend: Trend;
    };
    expect(daily.trend.bucket).toBe('day');
    // Every day the period touches, empty ones included, each starting at midnight UTC.
    expect(daily.trend.points.length).toBe(8);
    for (const point of daily.trend.points) expect(point.start).toMatch(/T00:00:00\.000Z$/);
    expect(sum(daily.trend)).toEqual({ conversations: 5, resolvedByBot: 2, handedOff: 2, csatCount: 2 });
    const today = daily.trend.points.find((p) => p.conversations > 0)!;
    expect(today.csat).toEqual({ count: 2, mean: 3.5 });
    expect(daily.trend.points.filter((p) => p.csat.count === 0).every((p) => p.csat.mean === null)).toBe(true);

    const weekly = (
      await api()
        .get(`/api/metrics?from=${to - 90 * 86_400_000}&to=${to}`)
        .expect(200)
    ).body as {
      trend: Trend;
    };
    expect(weekly.trend.bucket).toBe('week');
    for (const point of weekly.trend.points) expect(new Date(point.start).getUTCDay()).toBe(1);
    expect(sum(weekly.trend)).toEqual({ conversations: 5, resolvedByBot: 2, handedOff: 2, csatCount: 2 });

    // A period of years is drawn over its last 120 weeks, and says where they start.
    const years = (await api().get(`/api/metrics?from=0&to=${to}`).expect(200)).body as {
      trend: Trend & { since?: string };
    };
    expect(years.trend.points.length).toBe(120);
    expect(years.trend.since).toBe(years.trend.points[0]!.start);
    expect(sum(years.trend)).toEqual({ conversations: 5, resolvedByBot: 2, handedOff: 2, csatCount: 2 });

    const v1 = (await metrics('&journeyId=password-reset&version=1')) as unknown as { trend: Trend };
    expect(sum(v1.trend)).toMatchObject({ conversations: 3, handedOff: 2 });
  });

  it('answers 200 or a 400 naming a field to any query, never a server error', async () => {
    const keys = ['journeyId', 'version', 'from', 'to', 'reopenWindowHours', 'failedLimit', 'other'];
    const value = fc.oneof(
      fc.string(),
      fc.integer().map(String),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('password-reset', '1', '0', '-1', '1e309', 'NaN', ''),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 5 }), async (pairs) => {
        const search = new URLSearchParams(pairs).toString();
        const res = await api().get(`/api/metrics?${search}`);
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) expect(res.body.errors[0].path).toMatch(/^\/[a-zA-Z]+/);
      }),
      { numRuns: 60, seed: 4242 },
    );
  });

  it('answers 400 problem+json naming the bad query field', async () => {
    const cases: [string, string][] = [
      ['version=1', '/version'],
      ['journeyId=password-reset&version=0', '/version'],
      ['journeyId=no%20spaces', '/journeyId'],
      ['from=yesterday', '/from'],
      ['from=2026-02-01&to=2026-01-01', '/from'],
      ['reopenWindowHours=-1', '/reopenWindowHours'],
      ['colour=blue', '/colour'],
    ];
    for (const [query, path] of cases) {
      const res = await api().get(`/api/metrics?${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });
});
