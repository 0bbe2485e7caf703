/**
 * The open tickets kept again per status, queue and assignee (read-model-items.ts), on the test's
 * Mongo-wire server: a ticket moves between them as it is claimed and resolved, a filtered read finds
 * only its own, a rebuild writes the same, a crash's leftovers are put right, and erasure removes them.
 */
import type { InboxItem } from '@baton/schemas';
import {
  connectStore,
  forgetConversations,
  rebuildReadModels,
  type ConversationSnapshot,
  type Store,
} from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';
import { keyedCollection } from '../src/read-model-items';

let store: Store;

beforeAll(async () => {
  store = await connectStore(requireServers().mongoUri, uniqueDbName('baton_test_read_keyed'));
});

afterAll(async () => {
  if (store) {
    await store.collection('conversations').db.dropDatabase();
    await store.close();
  }
});

const sam = { id: 'agent.sam', name: 'Sam' };
const ida = { id: 'agent-ida', name: 'Ida' };

/** A conversation handed off to `queue`, its ticket in the state given (no ticket: with the bot). */
function view(
  conversationId: string,
  at: number,
  ticket?: { state: 'pending' | 'open' | 'resolved'; queue?: string; agent?: { id: string; name: string } },
): ConversationSnapshot {
  const startedAt = at - 60_000;
  return {
    conversationId,
    channel: 'web',
    journey: { id: 'password-reset', version: 1, hash: 'h' },
    status: ticket?.state === 'resolved' ? 'ended' : 'active',
    nodeId: ticket?.state === 'resolved' ? null : 'ask',
    waiting: null,
    vars: {},
    customer: { id: `cus-${conversationId}`, name: 'Ann' },
    intent: null,
    sentiment: { score: 0, label: 'neutral', history: [] },
    counters: { turns: 1, failures: 0, lowConfidence: 0, visits: {} },
    lastMessage: '',
    transcript: [{ seq: 1, from: 'customer', text: `at ${at}`, at }],
    path: [{ nodeId: 'ask', type: 'ask', at: startedAt }],
    handoffs: ticket
      ? [
          {
            ticketId: `t-${conversationId}`,
            nodeId: 'handoff',
            queue: ticket.queue ?? 'accounts',
            priority: 'high',
            reason: 'asked for a human',
            openedAt: startedAt + 2,
            ...(ticket.state !== 'pending' && { claimedBy: ticket.agent ?? sam, claimedAt: startedAt + 3 }),
            ...(ticket.state === 'resolved' && { resolvedAt: startedAt + 4 }),
          },
        ]
      : [],
    survey: null,
    outcome: ticket?.state === 'resolved' ? 'handed_off' : null,
    startedAt,
    endedAt: ticket?.state === 'resolved' ? at : null,
    updatedAt: at,
  } as ConversationSnapshot;
}

/** The open items of a filter, as the inbox route asks for them (its match applied to what is read). */
const ids = async (filter: { status?: string; queue?: string; assignee?: string }, open = true) => {
  const match = (item: InboxItem) =>
    (filter.status === undefined || item.status === filter.status) &&
    (filter.queue === undefined || item.queue === filter.queue) &&
    (filter.assignee === undefined || item.assignee?.id === filter.assignee);
  return (await store.readModels.sideItems(open, filter, 500, match)).map((item) => item.conversationId);
};

describe('the open tickets per status, queue and assignee', () => {
  it('follow a ticket as it is claimed and resolved, one item each', async () => {
    const now = Date.now();
    await store.saveConversation(view('kd-1', now - 5000));
    expect(await ids({ status: 'pending' })).not.toContain('kd-1');
    await store.saveConversation(view('kd-1', now - 4000, { state: 'pending' }));
    await store.saveConversation(view('kd-2', now - 3900, { state: 'pending', queue: 'billing' }));
    expect(await ids({ status: 'pending' })).toEqual(['kd-1', 'kd-2']);
    expect(await ids({ queue: 'accounts' })).toEqual(['kd-1']);
    expect(await ids({ queue: 'billing', status: 'open' })).toEqual([]);

    await store.saveConversation(view('kd-1', now - 3000, { state: 'open' }));
    await store.saveConversation(view('kd-2', now - 2900, { state: 'open', queue: 'billing', agent: ida }));
    expect(await ids({ status: 'pending' })).toEqual([]);
    expect(await ids({ assignee: sam.id })).toEqual(['kd-1']);
    expect(await ids({ assignee: ida.id, queue: 'billing' })).toEqual(['kd-2']);
    expect(await ids({ status: 'open' })).toEqual(['kd-1', 'kd-2']);
    // A later change moves the item last, under its new key only.
    await store.saveConversation(view('kd-1', now - 2000, { state: 'open' }));
    expect(await ids({ status: 'open' })).toEqual(['kd-2', 'kd-1']);
    expect(await ids({ status: 'bot' })).toEqual([]);

    await store.saveConversation(view('kd-1', now - 1000, { state: 'resolved' }));
    expect(await ids({ assignee: sam.id })).toEqual([]);
    expect(await ids({ queue: 'accounts' })).toEqual([]);
    expect(await ids({ status: 'open' })).toEqual(['kd-2']);
    // Resolved: kept with the closed side's days in the resolved tickets' own collections.
    expect(await ids({ assignee: sam.id }, false)).toEqual(['kd-1']);
    expect(await ids({ queue: 'accounts', status: 'resolved' }, false)).toEqual(['kd-1']);
    expect(await ids({ queue: 'billing' }, false)).toEqual([]);
    expect(await store.readModels.pruneClosed(now + 8 * 86_400_000, 7)).toBeGreaterThanOrEqual(4);
    expect(await ids({ assignee: sam.id }, false)).toEqual([]);
    expect(await ids({ status: 'resolved' }, false)).toEqual([]);
  });

  it('are written by a rebuild as the writes left them', async () => {
    const now = Date.now();
    await store.saveConversation(view('kd-3', now - 800, { state: 'pending', queue: 'tech' }));
    const filters = [{ status: 'pending' }, { status: 'open' }, { queue: 'tech' }, { assignee: ida.id }];
    const before = await Promise.all(filters.map((filter) => ids(filter)));
    await rebuildReadModels(store.collection('conversations').db, store.server);
    expect(await Promise.all(filters.map((filter) => ids(filter)))).toEqual(before);
  });

  it('are put right after a crash between the writes, and forgotten with the conversation', async () => {
    const now = Date.now();
    await store.saveConversation(view('kd-4', now - 500, { state: 'open', queue: 'tech', agent: ida }));
    // The process died after the open side's write: the assignee's item was never written, and an
    // older item stayed in the queue's collection.
    const db = store.collection('conversations').db;
    const mine = db.collection<{ _id: string; j: string }>(keyedCollection('a', ida.id));
    await mine.deleteMany({ _id: { $regex: ':kd-4$' } });
    await db
      .collection<{ _id: string; j: string }>(keyedCollection('q', 'tech'))
      .insertOne({ _id: `000000000000001:kd-4`, j: JSON.stringify({ conversationId: 'kd-4' }) });
    expect(await ids({ assignee: ida.id })).not.toContain('kd-4');

    expect(await store.readModels.reconcileOpen()).toBeGreaterThanOrEqual(2);
    expect(await ids({ assignee: ida.id })).toContain('kd-4');
    expect((await ids({ queue: 'tech' })).filter((id) => id === 'kd-4')).toHaveLength(1);

    await forgetConversations(db, ['kd-4']);
    expect(await ids({ assignee: ida.id })).not.toContain('kd-4');
    expect(await ids({ queue: 'tech' })).not.toContain('kd-4');
  });
});
