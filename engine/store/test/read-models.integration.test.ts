/**
 * The read models the projection keeps (read-models.ts) on the test's Mongo-wire server: counters that
 * a retried or stale write leaves alone, items that move between the open and closed inbox and leave
 * it after their days, and a rebuild from the conversations that equals what the writes built.
 */
import type { Document } from 'mongodb';
import {
  connectStore,
  readModelCollections,
  rebuildReadModels,
  writeReadModels,
  type ProjectionFields,
  type ConversationSnapshot,
  type Store,
} from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

let store: Store;

beforeAll(async () => {
  store = await connectStore(requireServers().mongoUri, uniqueDbName('baton_test_read_models'));
});

afterAll(async () => {
  if (store) {
    await store.collection('conversations').db.dropDatabase();
    await store.close();
  }
});

const day = 86_400_000;
const sam = { id: 'agent_sam', name: 'Sam' };

interface Shape {
  status?: 'active' | 'ended';
  at: number;
  messages?: number;
  ticket?: 'pending' | 'open' | 'resolved';
  nodeId?: string;
  outcome?: string;
  journey?: string;
}

/** A conversation's view as the interpreter hands it to the projection, in the shape given. */
function view(conversationId: string, shape: Shape): ConversationSnapshot {
  const messages = shape.messages ?? 1;
  const startedAt = shape.at - 60_000;
  const ticket = shape.ticket;
  return {
    conversationId,
    channel: 'web',
    journey: { id: shape.journey ?? 'password-reset', version: 1, hash: 'h' },
    status: shape.status ?? 'active',
    nodeId: shape.status === 'ended' ? null : (shape.nodeId ?? 'ask'),
    waiting: null,
    vars: {},
    customer: { id: `cus-${conversationId}`, name: 'Ann' },
    intent: null,
    sentiment: { score: 0, label: 'neutral', history: [] },
    counters: { turns: 1, failures: 0, lowConfidence: 0, visits: {} },
    lastMessage: '',
    transcript: Array.from({ length: messages }, (_, i) => ({
      seq: i + 1,
      from: 'customer' as const,
      text: `message ${i + 1}`,
      at: startedAt + i,
    })),
    path: [
      { nodeId: 'start', type: 'start', at: startedAt, handle: 'next' },
      { nodeId: shape.nodeId ?? 'ask', type: 'ask', at: startedAt + 1 },
    ],
    handoffs: ticket
      ? [
          {
            ticketId: `t-${conversationId}`,
            nodeId: 'handoff',
            queue: 'accounts',
            priority: 'high',
            reason: 'asked for a human',
            openedAt: startedAt + 2,
            ...(ticket !== 'pending' && { claimedBy: sam, claimedAt: startedAt + 3 }),
            ...(ticket === 'resolved' && { resolvedAt: startedAt + 4 }),
          },
        ]
      : [],
    survey: null,
    outcome: shape.status === 'ended' ? ((shape.outcome ?? 'resolved_by_bot') as 'resolved_by_bot') : null,
    startedAt,
    endedAt: shape.status === 'ended' ? shape.at : null,
    updatedAt: shape.at,
  } as ConversationSnapshot;
}

async function counter(id: string): Promise<number> {
  const doc = await store.collection<{ _id: string; n?: number }>(readModelCollections.counts).findOne({ _id: id });
  return doc?.n ?? 0;
}

const itemsOf = async (open: boolean) => store.readModels.inboxItems(open, 500);

describe('the counters', () => {
  it('count each conversation once, whatever the retried and stale writes', async () => {
    const now = Date.now();
    const a = view('rm-count-1', { at: now - 5000 });
    const b = view('rm-count-1', { at: now - 4000, messages: 2, ticket: 'pending' });
    expect(await store.saveConversation(a)).toEqual({ written: true });
    expect(await counter('s:bot')).toBe(1);
    expect(await store.saveConversation(b)).toEqual({ written: true });
    // Retried (the same projection again) and stale (the older one again): nothing moves.
    expect(await store.saveConversation(b)).toEqual({ written: true });
    expect(await store.saveConversation(a)).toEqual({ written: false });
    expect(await counter('s:bot')).toBe(0);
    expect(await counter('s:pending')).toBe(1);
    expect(await counter('q:accounts:pending')).toBe(1);
    expect(await counter('c:active')).toBe(1);

    const claimed = view('rm-count-1', { at: now - 3000, messages: 3, ticket: 'open' });
    await store.saveConversation(claimed);
    await store.saveConversation(claimed);
    expect(await counter('s:pending')).toBe(0);
    expect(await counter('s:open')).toBe(1);
    expect(await counter('a:agent_sam:open')).toBe(1);

    const open = (await itemsOf(true)).filter((item) => item.conversationId === 'rm-count-1');
    expect(open).toEqual([
      expect.objectContaining({ kind: 'ticket', status: 'open', assignee: sam, queue: 'accounts' }),
    ]);
  });
});

describe('first writes at once', () => {
  it('count every conversation when many first writes of one process create the same figures together', async () => {
    const now = Date.now();
    const ids = Array.from({ length: 25 }, (_, i) => `rm-race-${i}`);
    // A journey of its own: its overlay and day figures do not exist yet, so every write tries to insert them.
    await Promise.all(ids.map((id) => store.saveConversation(view(id, { at: now - 1000, journey: 'race-test' }))));
    expect(await store.readModels.overlay('race-test', 1)).toMatchObject({
      conversations: 25,
      active: 25,
      nodes: { ask: { entered: 25, waiting: 25 }, start: { entered: 25 } },
    });
    const open = (await itemsOf(true)).filter((item) => item.journey.id === 'race-test');
    expect(open).toHaveLength(25);
  });
});

describe('two processes ending one conversation at once', () => {
  it("count its move to ended once (the API after a survey and the worker's last write)", async () => {
    const other = await connectStore(requireServers().mongoUri, store.collection('conversations').db.databaseName);
    try {
      const now = Date.now();
      const before = { ended: await counter('c:ended'), active: await counter('c:active') };
      const ids = Array.from({ length: 20 }, (_, i) => `rm-end-race-${i}`);
      for (const id of ids) await store.saveConversation(view(id, { at: now - 5000 }));
      // Both read the active projection and replace it with the ended one, as two processes do. One
      // conversation at a time: FerretDB's $inc of one figure from two processes at once can lose one
      // (read-model-shapes.ts), which is not what this counts.
      for (const id of ids)
        await Promise.all(
          [store, other].map((writer) =>
            writer.saveConversation(view(id, { at: now - 1000, status: 'ended', outcome: 'resolved_by_bot' })),
          ),
        );
      expect(await counter('c:ended')).toBe(before.ended + 20);
      expect(await counter('c:active')).toBe(before.active);
    } finally {
      await other.close();
    }
  });
});

describe('the inbox', () => {
  it('moves an item to the closed side when the conversation ends, and lets it go after its days', async () => {
    const now = Date.now();
    await store.saveConversation(view('rm-close-1', { at: now - 20 * day }));
    expect((await itemsOf(true)).map((item) => item.id)).toContain('rm-close-1');
    await store.saveConversation(view('rm-close-1', { at: now - 10 * day, status: 'ended', messages: 2 }));
    expect((await itemsOf(true)).map((item) => item.id)).not.toContain('rm-close-1');
    const closed = (await itemsOf(false)).filter((item) => item.id === 'rm-close-1');
    expect(closed).toEqual([expect.objectContaining({ status: 'closed', updatedAt: now - 10 * day })]);
    // One item per conversation: its earlier keys are gone.
    const keys = await store
      .collection<{ _id: string }>(readModelCollections.inboxClosed)
      .find({}, { projection: { _id: 1 } })
      .toArray();
    expect(keys.filter((key) => key._id.endsWith(':rm-close-1'))).toHaveLength(1);

    await store.saveConversation(view('rm-close-2', { at: now - day, status: 'ended' }));
    expect(await store.readModels.pruneClosed(now, 7)).toBeGreaterThanOrEqual(1);
    const left = (await itemsOf(false)).map((item) => item.id);
    expect(left).not.toContain('rm-close-1');
    expect(left).toContain('rm-close-2');
  });

  it('puts right an open item that a crash between the projection write and the item write left behind', async () => {
    const now = Date.now();
    const openItems = store.collection<{ _id: string }>(readModelCollections.inboxOpen);
    await store.saveConversation(view('rm-crash-1', { at: now - 3000 }));
    const left = await openItems.findOne({ _id: { $regex: ':rm-crash-1$' } });
    expect(left).not.toBeNull();
    // The conversation ends; the process dies before its item moves: the old open item stays and no
    // closed one is written.
    await store.saveConversation(view('rm-crash-1', { at: now - 2000, status: 'ended', messages: 2 }));
    await store
      .collection<{ _id: string }>(readModelCollections.inboxClosed)
      .deleteMany({ _id: { $regex: ':rm-crash-1$' } });
    await openItems.insertOne(left!);
    expect((await itemsOf(true)).map((item) => item.id)).toContain('rm-crash-1');

    expect(await store.readModels.reconcileOpen()).toBeGreaterThanOrEqual(1);
    expect((await itemsOf(true)).map((item) => item.id)).not.toContain('rm-crash-1');
    expect((await itemsOf(false)).filter((item) => item.id === 'rm-crash-1')).toEqual([
      expect.objectContaining({ status: 'closed', updatedAt: now - 2000 }),
    ]);
    // In line now: a second pass changes nothing for it.
    await store.readModels.reconcileOpen();
    expect((await itemsOf(false)).filter((item) => item.id === 'rm-crash-1')).toHaveLength(1);
  });

  it('reads the open side oldest change first (the longest waiting first), an item that changed moving last', async () => {
    const now = Date.now();
    await store.saveConversation(view('rm-order-1', { at: now - 3000, journey: 'order-test' }));
    await store.saveConversation(view('rm-order-2', { at: now - 2000, journey: 'order-test' }));
    await store.saveConversation(view('rm-order-1', { at: now - 1000, messages: 2, journey: 'order-test' }));
    const order = (await itemsOf(true)).filter((item) => item.journey.id === 'order-test').map((item) => item.id);
    expect(order).toEqual(['rm-order-2', 'rm-order-1']);
  });
});

/** A read model's documents, without the counters at zero (a rebuild never writes those). */
async function contents(name: string): Promise<Document[]> {
  const strip = (value: unknown): unknown => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const kept = strip(item);
      if (kept === 0) continue;
      if (kept && typeof kept === 'object' && !Array.isArray(kept) && Object.keys(kept).length === 0) continue;
      out[key] = kept;
    }
    return out;
  };
  const docs = await store.collection(name).find({}).sort({ _id: 1 }).toArray();
  const identity = new Set(['_id', 'kind', 'status', 'state', 'queue', 'agent', 'journeyId', 'version', 'day']);
  return docs.map((doc) => strip(doc) as Document).filter((doc) => Object.keys(doc).some((key) => !identity.has(key)));
}

describe('the rebuild', () => {
  it('computes from the conversations what the writes built one at a time', async () => {
    const now = Date.now();
    for (let i = 0; i < 12; i += 1) {
      const id = `rm-rebuild-${i}`;
      await store.saveConversation(view(id, { at: now - (i + 1) * 3_600_000, journey: 'rebuild-test' }));
      if (i % 3 === 0)
        await store.saveConversation(view(id, { at: now - i * 3_600_000, messages: 2, ticket: 'pending' }));
      if (i % 4 === 0)
        await store.saveConversation(
          view(id, { at: now - i * 3_600_000 + 1000, messages: 3, status: 'ended', outcome: 'abandoned' }),
        );
    }
    const names = [readModelCollections.counts, readModelCollections.overlay, readModelCollections.days];
    const incremental = await Promise.all(names.map(contents));
    const items = async () => [
      (await itemsOf(true)).map((item) => item.id),
      (await itemsOf(false)).map((item) => item.id).sort(),
    ];
    const itemsBefore = await items();

    const rebuilt = await rebuildReadModels(store.collection('conversations').db, store.server);
    expect(rebuilt.conversations).toBeGreaterThanOrEqual(12);
    expect(await Promise.all(names.map(contents))).toEqual(incremental);
    const itemsAfter = await items();
    expect(itemsAfter[1]).toEqual(itemsBefore[1]);
    expect([...(itemsAfter[0] ?? [])].sort()).toEqual([...(itemsBefore[0] ?? [])].sort());
  });
});

describe('a rebuild meeting a process that projects', () => {
  it('keeps the item another process wrote first instead of failing the start', async () => {
    const now = Date.now();
    await store.saveConversation(view('rm-race-1', { at: now - 1000, journey: 'race-test' }));
    const db = store.collection('conversations').db;
    const doc = await db.collection<ProjectionFields>('conversations').findOne({ _id: 'rm-race-1' });
    // The item (and counters) exist already: the bulk insert meets duplicate keys and goes on.
    await expect(writeReadModels(db, [doc as ProjectionFields])).resolves.toEqual({ conversations: 1 });
    expect((await itemsOf(true)).filter((item) => item.id === 'rm-race-1')).toHaveLength(1);
  });
});
