/**
 * The Mongo store against the real MongoDB-wire server of the test setup (MONGODB_URI; FerretDB or
 * mongod), in a database of its own that is dropped at the end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { Journey, type Agent, type CompiledJourney } from '@baton/schemas';
import { compileJourney } from '@baton/core/compiler';
import { conversationView, startConversation, step, type ConversationState } from '@baton/core/interpreter';
import {
  StoreConflictError,
  StoreNotFoundError,
  connectStore,
  slowStoreMsFromEnv,
  type SlowStoreCommand,
  decodeValue,
  encodeValue,
  type Store,
  type TicketPacket,
} from '../src';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

const sourcePath = join(__dirname, '../../../examples/password-reset/journey.json');
const source = (): Journey => Journey.parse(JSON.parse(readFileSync(sourcePath, 'utf8')));

function compiled(journey: Journey): CompiledJourney {
  const result = compileJourney(journey);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.journey;
}

/** The password-reset journey under another id (and name), so that each test has a journey of its own. */
function variant(id: string, name = 'Password reset'): { source: Journey; compiled: CompiledJourney } {
  const journey = { ...source(), id, name };
  return { source: journey, compiled: compiled(journey) };
}

const sam: Agent = { id: 'agent_sam', name: 'Sam' };
const kim: Agent = { id: 'agent_kim', name: 'Kim' };

function packet(
  ticketId: string,
  priority: TicketPacket['priority'],
  openedAt: number,
  queue = 'accounts',
): TicketPacket {
  return {
    ticketId,
    conversationId: `conv-${ticketId}`,
    journey: { id: 'password-reset', version: 1 },
    channel: 'api',
    queue,
    priority,
    reason: 'Password reset not resolved by the bot',
    customer: { id: 'cus_1', name: 'Ann', email: 'ann@example.com', 'crm.segment': 'smb' },
    intent: { name: 'reset_password', confidence: 0.8 },
    sentiment: { score: -0.5, label: 'negative', history: [0, -0.5], trend: 'worsening' },
    stepsTried: ['Sent a password reset link → ok'],
    variables: { attempts: 2, matrix: [[1, 2], [3]] },
    counters: { turns: 3, failures: 1, lowConfidence: 0 },
    transcript: [{ seq: 1, from: 'customer', text: 'I forgot my password', at: openedAt - 1000 }],
    openedAt,
    summary: 'Customer asked: "I forgot my password".',
  };
}

let store: Store;
let dbName: string;
let mongoUri: string;

beforeAll(async () => {
  mongoUri = requireServers().mongoUri;
  dbName = uniqueDbName('baton_test_store');
  store = await connectStore(mongoUri, dbName);
});

afterAll(async () => {
  if (store) {
    await store.collection('journeys').db.dropDatabase();
    await store.close();
  }
});

describe('codec', () => {
  it('round-trips JSON that MongoDB-wire servers refuse as is', () => {
    const value = JSON.parse(
      '{"$schema":"x","a.b":{"~a":[[1,[2,[]]],{"$in":[["p","q"]]}]},"~t":"tilde","__proto__":{"polluted":true},"n":[null,true,-0]}',
    ) as Record<string, unknown>;
    const encoded = encodeValue(value);
    const text = JSON.stringify(encoded);
    expect(text).not.toMatch(/"\$/);
    expect(text).not.toMatch(/"[^"]*\.[^"]*":/);
    expect(text).not.toMatch(/\[\[/);
    const decoded = decodeValue(encoded) as Record<string, unknown>;
    expect(JSON.stringify(decoded)).toBe(JSON.stringify({ ...value, n: [null, true, 0] }));
    expect(Object.prototype.hasOwnProperty.call(decoded, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('store', () => {
  it('answers ping', async () => {
    expect(await store.ping()).toBe(true);
  });

  it('knows which server it talks to, and whether compound filters use the _id index there', async () => {
    const info = await store.collection('journeys').db.admin().command({ buildInfo: 1 });
    const ferret = typeof info.ferretdbVersion === 'string';
    expect(store.server.compoundFiltersUseIndexes).toBe(!ferret);
    expect(store.server.description).toMatch(ferret ? /^FerretDB .*\(MongoDB \d[\d.]* wire\)$/ : /^MongoDB \d/);
  });

  it('reports slow store commands by collection and filter shape, never with their values', async () => {
    const reports: SlowStoreCommand[] = [];
    const watched = await connectStore(mongoUri, dbName, {
      ensureIndexes: false,
      slowCommands: { thresholdMs: 0, report: (command) => reports.push(command) },
    });
    try {
      await watched.collection('slow_probe').insertOne({ _id: 'secret-id@example.com', at: 5 } as never);
      await watched.collection('slow_probe').findOne({ _id: 'secret-id@example.com', at: { $gte: 3 } } as never);
      await watched.collection('slow_probe').updateOne({ _id: 'secret-id@example.com' } as never, { $set: { at: 6 } });
    } finally {
      await watched.close();
    }
    expect(reports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ command: 'find', collection: 'slow_probe', filter: '{ _id, at: { $gte } }' }),
        expect.objectContaining({ command: 'update', collection: 'slow_probe', filter: '{ _id }' }),
      ]),
    );
    expect(JSON.stringify(reports)).not.toContain('secret-id');
    expect(reports.every((report) => Number.isInteger(report.durationMs) && report.durationMs >= 0)).toBe(true);
    expect(slowStoreMsFromEnv({ BATON_SLOW_STORE_MS: '250' })).toBe(250);
    expect(slowStoreMsFromEnv({})).toBeUndefined();
    expect(() => slowStoreMsFromEnv({ BATON_SLOW_STORE_MS: 'soon' })).toThrow(/BATON_SLOW_STORE_MS must be a number/);
  });

  it('finds a document by _id through the _id index, not a scan of the collection', async () => {
    const probe = store.collection<{ _id: string; n: number }>('index_probe');
    await probe.insertMany(Array.from({ length: 20 }, (_, n) => ({ _id: `doc-${n}`, n })));
    const plan = JSON.stringify(await probe.find({ _id: 'doc-7' }).explain());
    // FerretDB answers with SQLite's plan (tools/ferretdb/patches makes it use the index); MongoDB with its own.
    expect(plan).toMatch(
      store.server.compoundFiltersUseIndexes ? /IDHACK|EXPRESS_IDHACK|IXSCAN/ : /SEARCH \S+ USING INDEX \S+__id_/,
    );
    expect(plan).not.toMatch(/COLLSCAN|"detail=SCAN /);
    expect(await probe.findOne({ _id: 'doc-7' })).toEqual({ _id: 'doc-7', n: 7 });
  });

  describe('drafts', () => {
    it('creates, refuses a second create, saves (keeping createdAt) and lists', async () => {
      const journey = { ...source(), id: 'drafts-1' };
      const created = await store.createDraft(journey, 'ann@ops');
      expect(created).toMatchObject({
        id: 'drafts-1',
        name: 'Password reset',
        latestVersion: null,
        createdBy: 'ann@ops',
      });
      await expect(store.createDraft(journey)).rejects.toBeInstanceOf(StoreConflictError);

      const read = await store.getDraft('drafts-1');
      expect(read).toEqual(journey);
      expect(read?.$schema).toBe('../../schemas/journey.schema.json');

      await new Promise((resolve) => setTimeout(resolve, 5));
      const saved = await store.saveDraft('drafts-1', { ...journey, name: 'Password reset v2' });
      expect(saved.name).toBe('Password reset v2');
      expect(saved.createdAt.getTime()).toBe(created.createdAt.getTime());
      expect(saved.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime());
      expect((await store.getDraft('drafts-1'))?.name).toBe('Password reset v2');

      // saveDraft upserts a journey that does not exist yet.
      const fresh = await store.saveDraft('drafts-2', { ...journey, id: 'drafts-2' });
      expect(fresh.createdAt).toBeInstanceOf(Date);
      await expect(store.saveDraft('drafts-3', journey)).rejects.toBeInstanceOf(StoreConflictError);

      // Who saved last, for the journey list; a save by nobody known never keeps the previous name.
      await store.saveDraft('drafts-2', { ...journey, id: 'drafts-2' }, 'Ana');
      expect((await store.listJourneys()).find((item) => item.id === 'drafts-2')?.updatedBy).toBe('Ana');
      await store.saveDraft('drafts-2', { ...journey, id: 'drafts-2' });
      expect((await store.listJourneys()).find((item) => item.id === 'drafts-2')).not.toHaveProperty('updatedBy');

      const list = await store.listJourneys();
      const ids = list.map((entry) => entry.id);
      expect(ids).toEqual(expect.arrayContaining(['drafts-1', 'drafts-2']));
      const entry = list.find((item) => item.id === 'drafts-1');
      expect(entry).toEqual({
        id: 'drafts-1',
        name: 'Password reset v2',
        description: journey.description,
        createdAt: expect.any(Date),
        updatedAt: expect.any(Date),
        latestVersion: null,
      });
      expect(await store.getDraft('nope')).toBeNull();
      expect(await store.getDraftRecord('drafts-1')).toMatchObject({ id: 'drafts-1', journey: { id: 'drafts-1' } });
    });
  });

  describe('versions', () => {
    it('publishes 1, 2 …; publishing the same content twice is a no-op', async () => {
      const one = variant('pub-1');
      await store.createDraft(one.source);
      const first = await store.publishVersion({
        journeyId: 'pub-1',
        source: one.source,
        compiled: one.compiled,
        author: 'ann',
        message: 'first',
      });
      expect(first).toEqual({ version: 1, hash: one.compiled.hash, created: true });
      const again = await store.publishVersion({ journeyId: 'pub-1', source: one.source, compiled: one.compiled });
      expect(again).toEqual({ version: 1, hash: one.compiled.hash, created: false });

      const two = variant('pub-1', 'Password reset, friendlier');
      const second = await store.publishVersion({ journeyId: 'pub-1', source: two.source, compiled: two.compiled });
      expect(second).toEqual({ version: 2, hash: two.compiled.hash, created: true });
      expect(two.compiled.hash).not.toBe(one.compiled.hash);

      // Going back to the first content is a new version: only the latest counts for the no-op.
      const third = await store.publishVersion({ journeyId: 'pub-1', source: one.source, compiled: one.compiled });
      expect(third).toMatchObject({ version: 3, created: true });

      const latest = await store.getVersion('pub-1');
      expect(latest).toMatchObject({ journeyId: 'pub-1', version: 3, hash: one.compiled.hash });
      expect(latest?.compiled.version).toBe(3);
      expect(latest?.source.version).toBe(3);
      expect(latest?.compiled.nodes).toEqual(one.compiled.nodes);

      const v1 = await store.getVersion('pub-1', 1);
      expect(v1).toMatchObject({ version: 1, author: 'ann', message: 'first', publishedAt: expect.any(Date) });
      expect(v1?.compiled).toEqual({ ...one.compiled, version: 1 });
      expect(v1?.source.$schema).toBe('../../schemas/journey.schema.json');
      expect(await store.getVersion('pub-1', 9)).toBeNull();
      expect(await store.getVersion('nope')).toBeNull();

      const versions = await store.listVersions('pub-1');
      expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
      expect(versions[2]).toEqual({
        journeyId: 'pub-1',
        version: 1,
        hash: one.compiled.hash,
        name: 'Password reset',
        publishedAt: expect.any(Date),
        author: 'ann',
        message: 'first',
      });
      expect(versions[0]).not.toHaveProperty('source');
      expect(versions[0]).not.toHaveProperty('compiled');

      expect((await store.listJourneys()).find((j) => j.id === 'pub-1')?.latestVersion).toBe(3);
      expect((await store.getDraftRecord('pub-1'))?.latestVersion).toBe(3);
    });

    it('gives concurrent publishes of different content distinct consecutive versions', async () => {
      const contents = Array.from({ length: 6 }, (_, i) => variant('race-1', `Password reset #${i}`));
      const results = await Promise.all(
        contents.map((c) => store.publishVersion({ journeyId: 'race-1', source: c.source, compiled: c.compiled })),
      );
      expect(results.every((r) => r.created)).toBe(true);
      expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      // Each version holds the content that was published as it.
      for (const result of results) {
        const stored = await store.getVersion('race-1', result.version);
        expect(stored?.hash).toBe(result.hash);
        expect(stored?.compiled.hash).toBe(result.hash);
      }
      // Publishing without a draft made one, with the latest version.
      expect((await store.getDraftRecord('race-1'))?.latestVersion).toBe(6);
      expect((await store.getVersion('race-1'))?.version).toBe(6);
      // The latest is the newest version even when the journey's latestVersion lags behind (a publish under way).
      await store.collection('journeys').updateOne({ _id: 'race-1' as never }, { $set: { latestVersion: 2 } });
      expect((await store.getVersion('race-1'))?.version).toBe(6);
    });

    it('gives concurrent publishes of the same content one version', async () => {
      const same = variant('race-2');
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          store.publishVersion({ journeyId: 'race-2', source: same.source, compiled: same.compiled }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.version))).toEqual(new Set([1]));
      expect(await store.listVersions('race-2')).toHaveLength(1);
    });

    it('refuses a compiled journey of another id', async () => {
      const other = variant('pub-other');
      await expect(
        store.publishVersion({ journeyId: 'pub-x', source: other.source, compiled: other.compiled }),
      ).rejects.toBeInstanceOf(StoreConflictError);
    });

    it('enforces one document per (journeyId, version) with a unique index', async () => {
      const indexes = await store.collection('journey_versions').indexes();
      const unique = indexes.find(
        (index) => index.unique === true && JSON.stringify(index.key) === JSON.stringify({ journeyId: 1, version: 1 }),
      );
      expect(unique).toBeDefined();
    });
  });

  describe('conversations', () => {
    function run(conversationId: string): ConversationState[] {
      const { compiled: journey } = variant('password-reset');
      const states: ConversationState[] = [];
      let output = startConversation(journey, {
        conversationId,
        channel: 'web',
        customer: { id: 'cus_1', name: 'Ann', email: 'ann@example.com' },
        variables: {},
        at: 1000,
      });
      states.push(output.state);
      output = step(journey, output.state, {
        type: 'customer_message',
        at: 2000,
        text: 'I forgot my password',
        clientMessageId: 'm1',
      });
      states.push(output.state);
      const waiting = output.state.waiting;
      if (waiting?.kind !== 'activity') throw new Error('expected the classify call');
      const classification = {
        intent: 'reset_password',
        confidence: 0.9,
        sentiment: { score: -0.1, label: 'neutral' },
      };
      output = step(journey, output.state, {
        type: 'activity_result',
        at: 3000,
        callId: waiting.callId,
        ok: true,
        output: classification,
      });
      states.push(output.state);
      return states;
    }

    it('keeps the newest projection: an older one never overwrites it', async () => {
      const [started, replied, later] = run('conv-proj-1') as [ConversationState, ConversationState, ConversationState];
      expect(await store.saveConversation(conversationView(replied))).toEqual({ written: true });
      // Older state (shorter transcript, earlier time): refused.
      expect(await store.saveConversation(conversationView(started))).toEqual({ written: false });
      let stored = await store.getConversation('conv-proj-1');
      expect(stored?.transcript).toHaveLength(replied.transcript.length);
      expect(stored).toMatchObject({
        conversationId: 'conv-proj-1',
        journeyId: 'password-reset',
        version: 0,
        status: 'active',
        channel: 'web',
        updatedAt: 2000,
      });
      expect(stored).not.toHaveProperty('messageIds');

      // A newer one is written, whole states are accepted too.
      expect(await store.saveConversation(later)).toEqual({ written: true });
      stored = await store.getConversation('conv-proj-1');
      expect(stored?.updatedAt).toBe(3000);
      expect(stored?.status).toBe(later.status);
      expect(stored?.path.map((p) => p.nodeId)).toEqual(later.path.map((p) => p.nodeId));
      expect(stored?.intent).toEqual({ name: 'reset_password', confidence: 0.9 });

      // The same projection again (a retried or replayed write) stores the same document.
      const latest = await store.getConversation('conv-proj-1');
      expect(await store.saveConversation(conversationView(later))).toEqual({ written: true });
      expect(await store.getConversation('conv-proj-1')).toEqual(latest);
      // A stale one sent again is refused again and changes nothing.
      expect(await store.saveConversation(conversationView(started))).toEqual({ written: false });
      expect(await store.getConversation('conv-proj-1')).toEqual(latest);
      // An explicit updatedAt older than the stored one is refused.
      expect(await store.saveConversation({ ...conversationView(later), updatedAt: 1 })).toEqual({ written: false });
    });

    it('keeps an ended conversation ended', async () => {
      const [started] = run('conv-proj-2') as [ConversationState];
      const ended: ConversationState = {
        ...started,
        status: 'ended',
        nodeId: null,
        waiting: null,
        outcome: 'abandoned',
        endedAt: 5000,
      };
      expect(await store.saveConversation(conversationView(ended))).toEqual({ written: true });
      expect(await store.saveConversation({ ...conversationView(started), updatedAt: 6000 })).toEqual({
        written: false,
      });
      expect((await store.getConversation('conv-proj-2'))?.status).toBe('ended');
    });

    it('lets the newest of concurrent first writes win', async () => {
      const states = run('conv-proj-3');
      await Promise.all([...states].reverse().map((state) => store.saveConversation(conversationView(state))));
      const stored = await store.getConversation('conv-proj-3');
      expect(stored?.transcript).toHaveLength(states[states.length - 1]?.transcript.length ?? -1);
    });

    it('keeps the newest of concurrent writes to a stored projection, and an ended one ended', async () => {
      const states = run('conv-proj-4');
      const views = states.map((state, index) => ({ ...conversationView(state), updatedAt: 10_000 + index }));
      const first = views[0]!;
      expect(await store.saveConversation(first)).toEqual({ written: true });
      const newest = views[views.length - 1]!;
      await Promise.all([newest, ...views.slice(1, -1).reverse(), first].map((view) => store.saveConversation(view)));
      expect((await store.getConversation('conv-proj-4'))?.updatedAt).toBe(newest.updatedAt);

      const ended = { ...newest, status: 'ended' as const, updatedAt: 20_000 };
      await Promise.all([store.saveConversation(ended), store.saveConversation({ ...newest, updatedAt: 15_000 })]);
      expect((await store.getConversation('conv-proj-4'))?.status).toBe('ended');
    });

    it('lists by journey and status, newest first', async () => {
      const base = conversationView((run('conv-list-a') as [ConversationState])[0]);
      await store.saveConversation({
        ...base,
        conversationId: 'conv-list-a',
        journey: { ...base.journey, id: 'list-j' },
        updatedAt: 10,
      });
      await store.saveConversation({
        ...base,
        conversationId: 'conv-list-b',
        journey: { ...base.journey, id: 'list-j' },
        updatedAt: 20,
      });
      await store.saveConversation({
        ...base,
        conversationId: 'conv-list-c',
        journey: { ...base.journey, id: 'list-j' },
        status: 'ended',
        outcome: 'abandoned',
        endedAt: 30,
        updatedAt: 30,
      });
      await store.saveConversation({
        ...base,
        conversationId: 'conv-list-d',
        journey: { ...base.journey, id: 'list-k' },
        updatedAt: 40,
      });
      expect((await store.listConversations({ journeyId: 'list-j' })).map((c) => c.conversationId)).toEqual([
        'conv-list-c',
        'conv-list-b',
        'conv-list-a',
      ]);
      expect(
        (await store.listConversations({ journeyId: 'list-j', status: 'active' })).map((c) => c.conversationId),
      ).toEqual(['conv-list-b', 'conv-list-a']);
      expect((await store.listConversations({ journeyId: 'list-j', limit: 1 })).map((c) => c.conversationId)).toEqual([
        'conv-list-c',
      ]);
      expect(await store.getConversation('conv-none')).toBeNull();
    });
  });

  describe('tickets', () => {
    it('opens a ticket once: a retried (or concurrent) open returns the same ticket', async () => {
      const first = await store.openTicket(packet('t-1', 'high', 1000));
      expect(first.created).toBe(true);
      expect(first.ticket).toMatchObject({
        ticketId: 't-1',
        status: 'pending',
        assignee: null,
        summary: expect.stringContaining('forgot'),
      });
      expect(first.ticket.variables).toEqual({ attempts: 2, matrix: [[1, 2], [3]] });
      expect(first.ticket.customer['crm.segment']).toBe('smb');

      const retried = await store.openTicket({ ...packet('t-1', 'low', 9999), summary: 'another summary' });
      expect(retried.created).toBe(false);
      expect(retried.ticket).toEqual(first.ticket);

      const concurrent = await Promise.all(
        Array.from({ length: 5 }, () => store.openTicket(packet('t-2', 'normal', 2000))),
      );
      expect(concurrent.filter((r) => r.created)).toHaveLength(1);
      expect(await store.collection('tickets').countDocuments({ ticketId: { $in: ['t-1', 't-2'] } })).toBe(2);
    });

    it('claims, refuses a second agent, resolves', async () => {
      await store.openTicket(packet('t-claim', 'normal', 1000));
      const claimed = await store.claimTicket('t-claim', sam);
      expect(claimed).toMatchObject({ status: 'open', assignee: sam, claimedAt: expect.any(Number) });
      expect(await store.claimTicket('t-claim', sam)).toEqual(claimed);
      await expect(store.claimTicket('t-claim', kim)).rejects.toThrow(/claimed by Sam/);
      await expect(store.resolveTicket('t-claim', kim)).rejects.toBeInstanceOf(StoreConflictError);

      const resolved = await store.resolveTicket('t-claim', sam, 'sent a new link by phone');
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolution: 'sent a new link by phone',
        resolvedAt: expect.any(Number),
      });
      expect(await store.resolveTicket('t-claim', sam)).toEqual(resolved);
      await expect(store.claimTicket('t-claim', kim)).rejects.toBeInstanceOf(StoreConflictError);

      await expect(store.claimTicket('t-missing', sam)).rejects.toBeInstanceOf(StoreNotFoundError);
      await expect(store.resolveTicket('t-missing', sam)).rejects.toBeInstanceOf(StoreNotFoundError);
      expect(await store.getTicket('t-missing')).toBeNull();

      const feedback = await store.setTicketFeedback('t-claim', {
        agent: sam,
        summaryHelpful: true,
        correctIntent: 'reset_password',
        at: 5,
      });
      expect(feedback.feedback).toEqual({ agent: sam, summaryHelpful: true, correctIntent: 'reset_password', at: 5 });
    });

    it('lets exactly one of many agents racing for a pending ticket win it', async () => {
      await store.openTicket(packet('t-race', 'normal', 1000));
      const agents = Array.from({ length: 12 }, (_, i) => ({ id: `agent-${i}`, name: `Agent ${i}` }));
      const results = await Promise.allSettled(agents.map((agent) => store.claimTicket('t-race', agent)));
      const winners = results.filter((result) => result.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      const ticket = await store.getTicket('t-race');
      expect(ticket?.assignee?.id).toBe(
        (winners[0] as PromiseFulfilledResult<{ assignee: { id: string } | null }>).value.assignee?.id,
      );
      for (const result of results)
        if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(StoreConflictError);
    });

    it('lists by priority (urgent > high > normal > low), then oldest first', async () => {
      await store.openTicket(packet('q-low', 'low', 100, 'billing'));
      await store.openTicket(packet('q-normal-late', 'normal', 300, 'billing'));
      await store.openTicket(packet('q-urgent', 'urgent', 400, 'billing'));
      await store.openTicket(packet('q-normal-early', 'normal', 200, 'billing'));
      await store.openTicket(packet('q-high', 'high', 500, 'billing'));
      const pending = await store.listTickets({ queue: 'billing', status: 'pending' });
      expect(pending.map((t) => t.ticketId)).toEqual([
        'q-urgent',
        'q-high',
        'q-normal-early',
        'q-normal-late',
        'q-low',
      ]);
      expect(pending[0]).not.toHaveProperty('priorityRank');

      await store.claimTicket('q-high', kim);
      expect((await store.listTickets({ assignee: kim.id })).map((t) => t.ticketId)).toEqual(['q-high']);
      expect(
        (await store.listTickets({ queue: 'billing', status: 'pending', limit: 2 })).map((t) => t.ticketId),
      ).toEqual(['q-urgent', 'q-normal-early']);
    });
  });

  describe('surveys and outbox', () => {
    it('records a survey once per conversation', async () => {
      const answer = {
        conversationId: 'conv-s1',
        journey: { id: 'password-reset', version: 2 },
        customerId: 'cus_1',
        ces: 6,
        csat: 5,
        at: 1000,
      };
      expect(await store.recordSurvey(answer)).toEqual({ survey: answer, created: true });
      expect(await store.recordSurvey({ ...answer, ces: 1, at: 2000 })).toEqual({ survey: answer, created: false });
      await store.recordSurvey({
        conversationId: 'conv-s2',
        journey: { id: 'password-reset', version: 3 },
        customerId: 'cus_2',
        csat: 2,
        at: 3000,
      });
      expect((await store.listSurveys({ journeyId: 'password-reset' })).map((s) => s.conversationId)).toEqual([
        'conv-s2',
        'conv-s1',
      ]);
      expect(
        (await store.listSurveys({ journeyId: 'password-reset', version: 2 })).map((s) => s.conversationId),
      ).toEqual(['conv-s1']);
    });

    it('records an outbound message once per idempotency key', async () => {
      const message = {
        idempotencyKey: 'transcript:conv-1',
        channel: 'log',
        to: 'ann@example.com',
        subject: 'Your transcript',
        body: 'Hi',
      };
      const first = await store.recordOutbound(message);
      expect(first).toEqual({ message: { ...message, createdAt: expect.any(Date) }, created: true });
      const concurrent = await Promise.all(
        Array.from({ length: 4 }, () => store.recordOutbound({ ...message, body: 'again' })),
      );
      expect(concurrent.every((r) => !r.created && r.message.body === 'Hi')).toBe(true);
      expect(await store.listOutbound({ to: 'ann@example.com' })).toHaveLength(1);
    });
  });

  it('closes and reconnects to the same data', async () => {
    const other = await connectStore(mongoUri, dbName, { ensureIndexes: false });
    try {
      expect((await other.getVersion('pub-1'))?.version).toBe(3);
    } finally {
      await other.close();
    }
    // A plain client sees plain documents with the store's flat query fields.
    const client = new MongoClient(mongoUri);
    try {
      const doc = await client.db(dbName).collection('tickets').findOne({ ticketId: 't-1' });
      expect(doc).toMatchObject({ status: 'pending', priorityRank: 2, queue: 'accounts' });
    } finally {
      await client.close();
    }
  });
});
