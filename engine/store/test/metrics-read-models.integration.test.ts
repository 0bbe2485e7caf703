/**
 * The dashboard's report served from the read models (engine/store/src/metrics.ts) against the scan
 * it replaced (metrics-oracle.ts), on the test's Mongo-wire server: a store filled through the store's
 * own writers (projections, tickets opened, claimed, resolved, escalated and reopened, verdicts,
 * intent corrections, survey answers) over several days, journeys and versions. Counts, rates and
 * means must be equal; handle-time percentiles within the buckets' bound (0.5 %, docs/performance.md).
 * Then again after every ticket's measures were refreshed once more (idempotent), after a rebuild, and
 * after retention redacted the ended conversations and after a customer's erasure (the figures stay).
 */
import type { Db } from 'mongodb';
import type { Measures, MetricsReport } from '@baton/schemas';
import {
  computeMetrics,
  connectStore,
  customerInventory,
  deleteCustomerRecords,
  rebuildReadModels,
  redactConversations,
  refreshTicketMeasures,
  type ConversationSnapshot,
  type Store,
} from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';
import { scanMetrics } from './metrics-oracle';

let store: Store;
let db: Db;

const day = 86_400_000;
const hour = 3_600_000;
/** The first day of the fill: far enough back that nothing else lands on its days. */
const first = Math.floor(Date.now() / day) * day - 20 * day;
const agents = [
  { id: 'agent-sam', name: 'Sam' },
  { id: 'agent-kim', name: 'Kim' },
];

/** A deterministic pseudo-random sequence. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}
const next = random(16);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

type Step = { nodeId: string; type: string; at: number; handle?: string };

function view(i: number, journeyId: string, version: number, startedAt: number): ConversationSnapshot {
  const handedOff = i % 3 === 0;
  const ended = next() < 0.8;
  const path: Step[] = [{ nodeId: 'start', type: 'start', at: startedAt, handle: 'next' }];
  for (let n = 0; n < 1 + Math.floor(next() * 3); n += 1)
    path.push({
      nodeId: `answer-${n}`,
      type: 'answer',
      at: startedAt + 1000 * (n + 1),
      handle: pick(['unsure', 'resolved', 'answered', 'not_resolved']),
    });
  if (next() < 0.4) path.push({ nodeId: 'did-it-work', type: 'classify', at: startedAt + 5000, handle: 'yes' });
  if (handedOff) {
    path.push({ nodeId: 'handoff', type: 'handoff', at: startedAt + 6000, handle: 'resolved' });
    path.push({ nodeId: 'survey_agent', type: 'survey', at: startedAt + 2 * hour });
  }
  const outcome = !ended ? null : handedOff ? 'handed_off' : next() < 0.75 ? 'resolved_by_bot' : 'abandoned';
  return {
    conversationId: `mrm-${i}`,
    channel: 'web',
    journey: { id: journeyId, version, hash: 'h' },
    status: ended ? 'ended' : 'active',
    nodeId: ended ? null : 'ask',
    waiting: null,
    vars: {},
    customer: { id: `customer-${i}`, name: 'Ann' },
    intent: { name: 'human', confidence: 0.9 },
    sentiment: { score: 0, label: 'neutral', history: [] },
    counters: { turns: 1, failures: 0, lowConfidence: 0, visits: {} },
    lastMessage: '',
    transcript: [{ seq: 1, from: 'customer', text: 'help', at: startedAt }],
    path,
    handoffs: handedOff
      ? [
          {
            ticketId: `mrm-t-${i}`,
            nodeId: 'handoff',
            queue: 'accounts',
            priority: 'high',
            reason: 'r',
            openedAt: startedAt + 6000,
          },
        ]
      : [],
    survey: ended && next() < 0.3 ? { ces: 1 + Math.floor(next() * 7), csat: 1 + Math.floor(next() * 5) } : null,
    outcome,
    startedAt,
    endedAt: ended ? startedAt + 3 * hour : null,
    updatedAt: startedAt + 3 * hour,
  } as unknown as ConversationSnapshot;
}

/** Fills the store through its writers: 90 conversations over 6 days, 2 journeys, 2 versions of one. */
async function fill(): Promise<void> {
  for (let i = 0; i < 90; i += 1) {
    const journeyId = i % 2 === 0 ? 'mrm-reset' : 'mrm-faq';
    const version = journeyId === 'mrm-reset' && i % 4 === 0 ? 2 : 1;
    const startedAt = first + Math.floor(next() * 6 * day);
    const conversation = view(i, journeyId, version, startedAt);
    await store.saveConversation(conversation);
    const ticketId = `mrm-t-${i}`;
    if (i % 3 === 0) {
      const openedAt = startedAt + 6000;
      await store.openTicket({
        ticketId,
        conversationId: conversation.conversationId,
        journey: { id: journeyId, version },
        channel: 'web',
        queue: 'accounts',
        priority: 'high',
        reason: 'asked for a human',
        customer: { id: `customer-${i}`, name: 'Ann' },
        intent: { name: 'human', confidence: 0.9 },
        sentiment: { score: 0, label: 'neutral' },
        stepsTried: [],
        variables: {},
        counters: {},
        transcript: [],
        openedAt,
        summary: 'help',
      });
      const agent = pick(agents);
      const fate = next();
      if (fate < 0.15) continue; // pending
      await store.claimTicket(ticketId, agent);
      if (fate < 0.3) continue; // open
      await store.resolveTicket(ticketId, agent);
      // Handle times from seconds to a day: claimed and resolved set as an agent's day would have them.
      const claimedAt = openedAt + Math.floor(next() * 600_000);
      const resolvedAt = claimedAt + Math.floor(1000 + next() * next() * day);
      await store
        .collection<{ _id: string }>('tickets')
        .updateOne({ _id: ticketId }, { $set: { claimedAt, resolvedAt } });
      await refreshTicketMeasures(db, ticketId);
      if (fate < 0.45) {
        // Reopened by the customer 1 to 100 hours after the resolution the path records (2 h after start).
        const at = startedAt + 2 * hour + Math.floor((1 + next() * 99) * hour);
        await store.routing.reopenTicket(ticketId, { at, type: 'reopened', detail: 'customer wrote again' });
      }
      if (next() < 0.2)
        await store.routing.escalateTicket(ticketId, {
          queue: 'overflow',
          priority: 'urgent',
          event: { at: openedAt + 1000, type: 'sla_escalated', detail: 'accounts (high) → overflow (urgent)' },
        });
      const verdict = next();
      if (verdict < 0.4)
        await store.inbox.recordFeedback({
          ticketId,
          conversationId: conversation.conversationId,
          journeyId,
          version,
          agentId: agent.id,
          summaryHelpful: next() < 0.6,
          pulse: next() < 0.8 ? 1 + Math.floor(next() * 5) : null,
          comment: 'a comment',
          // Given on the ticket's day: a verdict's own day counts it, the ticket's lists it.
          at: new Date(openedAt),
        });
      else if (verdict < 0.5)
        await store.setTicketFeedback(ticketId, { agent, summaryHelpful: false, comment: 'kept on the ticket', at: 1 });
      if (next() < 0.2)
        await store.inbox.recordIntentCorrection({
          ticketId,
          text: 'help',
          intent: pick(['reset_password', 'human']),
          previousIntent: 'human',
          journeyId,
          conversationId: conversation.conversationId,
          agentId: agent.id,
          at: new Date(openedAt + 2 * hour),
        });
    }
    if (conversation.status === 'ended' && next() < 0.4)
      await store.recordSurvey({
        conversationId: conversation.conversationId,
        journey: { id: journeyId, version },
        customerId: `customer-${i}`,
        ...(next() < 0.9 && { ces: 1 + Math.floor(next() * 7) }),
        ...(next() < 0.9 && { csat: 1 + Math.floor(next() * 5) }),
        at: startedAt + 4 * hour,
      });
  }
}

beforeAll(async () => {
  store = await connectStore(requireServers().mongoUri, uniqueDbName('baton_test_metrics_read_models'));
  db = store.collection('conversations').db;
  await fill();
}, 300_000);

afterAll(async () => {
  if (store) {
    await db.dropDatabase();
    await store.close();
  }
});

interface Query {
  from: number;
  to: number;
  reopenWindowMs: number;
  journeyId?: string;
  version?: number;
  failedLimit?: number;
}

const queries: [string, Query][] = [
  ['the whole fill, 72 h window', { from: first - day, to: first + 7 * day, reopenWindowMs: 72 * hour }],
  ['the whole fill, 24 h window', { from: first, to: first + 6 * day, reopenWindowMs: 24 * hour }],
  ['two days, mid-day bounds', { from: first + day + 5 * hour, to: first + 3 * day - hour, reopenWindowMs: 72 * hour }],
  ['one journey', { from: first, to: first + 6 * day, reopenWindowMs: 72 * hour, journeyId: 'mrm-reset' }],
  [
    'one version, 5 failed handoffs',
    { from: first, to: first + 6 * day, reopenWindowMs: 48 * hour, journeyId: 'mrm-reset', version: 2, failedLimit: 5 },
  ],
  ['90 days (weekly trend)', { from: first - 80 * day, to: first + 10 * day, reopenWindowMs: 72 * hour }],
];

/** The oracle's period: the whole UTC days the report covers. */
const wholeDays = (query: Query): Query => ({
  ...query,
  from: Math.floor(query.from / day) * day,
  to: Math.ceil(query.to / day) * day,
});

/** Every measure of a report, overall, per journey and per version, with a path naming it. */
function measuresOf(report: MetricsReport): [string, Measures][] {
  return [
    ['overall', report.overall],
    ...report.journeys.flatMap((journey): [string, Measures][] => [
      [journey.journeyId, journey.measures],
      ...journey.versions.map((v): [string, Measures] => [`${journey.journeyId}@${v.version}`, v.measures]),
    ]),
  ];
}

/** Checks the percentiles and mean within their bounds, then takes the oracle's values for the deep comparison. */
function withinBounds(served: MetricsReport, oracle: MetricsReport): void {
  const expected = new Map(measuresOf(oracle));
  for (const [where, measures] of measuresOf(served)) {
    const want = expected.get(where)?.handoffs.handleTime;
    const got = measures.handoffs.handleTime;
    if (!want) continue;
    for (const key of ['p50Seconds', 'p90Seconds'] as const) {
      const exact = want[key];
      if (exact === null) expect(got[key]).toBeNull();
      else expect(Math.abs((got[key] as number) - exact)).toBeLessThanOrEqual(exact * 0.005 + 0.001);
      got[key] = exact;
    }
    if (want.meanSeconds !== null)
      expect(Math.abs((got.meanSeconds as number) - want.meanSeconds)).toBeLessThanOrEqual(0.001);
    got.meanSeconds = want.meanSeconds;
  }
}

async function compareAll(): Promise<void> {
  for (const [label, query] of queries) {
    const served = await computeMetrics(store, query);
    const oracle = await scanMetrics(store, wholeDays(query));
    withinBounds(served, oracle);
    expect({ label, report: served }).toEqual({ label, report: oracle });
  }
}

describe('the report from the read models', () => {
  it('has every figure of the scan it replaced', async () => {
    const report = await computeMetrics(store, queries[0]![1]);
    // The fill reached every kind of figure (else the comparison proves little).
    expect(report.overall.conversations.total).toBe(90);
    expect(report.overall.handoffs.tickets).toBe(30);
    expect(report.overall.handoffs.reopened).toBeGreaterThan(0);
    expect(report.overall.handoffs.handleTime.count).toBeGreaterThan(5);
    expect(report.overall.csat.count).toBeGreaterThan(0);
    expect(report.overall.agents.summaryVerdicts).toBeGreaterThan(0);
    expect(report.overall.conversations.deflected.confirmed).toBeGreaterThan(0);
    expect(new Set(report.failedHandoffs.flatMap((row) => row.reasons))).toEqual(
      new Set(['misrouted', 'rerouted', 'summary_unhelpful', 'reopened']),
    );
    await compareAll();
  });

  it('stays the same when every ticket is refreshed again (a retried write changes nothing)', async () => {
    for (let i = 0; i < 90; i += 3) await refreshTicketMeasures(db, `mrm-t-${i}`);
    await compareAll();
  });

  it('is the same after a rebuild of the read models', async () => {
    await rebuildReadModels(db, store.server);
    await compareAll();
  });

  it('keeps its figures when retention redacts the ended conversations', async () => {
    const before = await computeMetrics(store, queries[0]![1]);
    const ended = await db
      .collection<{ _id: string }>('conversations')
      .find({ status: 'ended' }, { projection: { _id: 1 } })
      .toArray();
    const redacted = await redactConversations(
      db,
      ended.map((doc) => doc._id),
    );
    expect(redacted.conversations).toBeGreaterThan(0);
    const after = await computeMetrics(store, queries[0]![1]);
    // The comments kept on tickets are redacted; every figure stays.
    const withoutComments = (report: MetricsReport) => ({
      ...report,
      failedHandoffs: report.failedHandoffs.map(({ comment: _comment, ...row }) => row),
    });
    expect(withoutComments(after)).toEqual(withoutComments(before));
  });

  it("keeps an erased customer's figures, and no longer lists their failed handoff", async () => {
    const before = await computeMetrics(store, queries[0]![1]);
    const row = before.failedHandoffs[0]!;
    const customerId = `customer-${row.conversationId.slice('mrm-'.length)}`;
    // Its conversation is named too: retention may have replaced the customer on it already.
    const inventory = await customerInventory(db, customerId, [row.conversationId]);
    expect(inventory.tickets).toContain(row.ticketId);
    await deleteCustomerRecords(db, inventory);
    const after = await computeMetrics(store, queries[0]![1]);
    expect(after.failedHandoffs.map((failed) => failed.ticketId)).not.toContain(row.ticketId);
    expect(await db.collection<{ _id: string }>('read_failed').findOne({ _id: row.ticketId })).toBeNull();
    expect({ ...after, failedHandoffs: [] }).toEqual({ ...before, failedHandoffs: [] });
  });
});
