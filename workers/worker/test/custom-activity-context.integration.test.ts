/**
 * Custom activities get a narrow store: their own collections and the outbox, never Baton's own
 * records (journeys, tickets …). Built-ins still get the whole store, and a custom module cannot
 * claim to be built-in.
 */
import { z } from 'zod';
import { ApplicationFailure } from '@temporalio/common';
import { EmbeddedAiProvider } from '@baton/ai';
import { defineActivity, ReservedCollectionError, type ActivityDefinition } from '@baton/activity-sdk';
import { connectStore, type Store } from '@baton/store';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';
import { createActivityRegistry, failureTypes } from '../src/registry';
import { batonActivityRegistry } from '../src/worker';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let store: Store;

beforeAll(async () => {
  store = await connectStore(requireServers().mongoUri, uniqueDbName('baton_test_activity_context'));
});

afterAll(async () => {
  if (store) {
    await store.collection('journeys').db.dropDatabase();
    await store.close();
  }
});

/** A custom activity that reads one collection, named in its input. */
const reader = defineActivity({
  name: 'probe.read',
  description: 'Reads a document of a collection',
  input: z.object({ collection: z.string() }),
  output: z.object({ found: z.boolean() }),
  async run({ collection }, ctx) {
    return { found: (await ctx.store.collection(collection).findOne({})) !== null };
  },
});

function registryOf(definitions: readonly ActivityDefinition[]) {
  return createActivityRegistry(definitions, { store, provider: new EmbeddedAiProvider(), logger: silent });
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApplicationFailure) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('the context of a custom activity', () => {
  test.each(['journeys', 'journey_versions', 'tickets', 'conversations', 'users', 'apiKeys', 'surveys', 'audit'])(
    'refuses Baton\'s collection "%s", naming it, and the failure is not retried',
    async (collection) => {
      const failure = await failureOf(registryOf([reader]).activities['probe.read']!({ collection }));
      expect(failure.type).toBe(failureTypes.reservedCollection);
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toContain(`collection "${collection}" belongs to Baton`);
    },
  );

  test('reaches its own collections and the outbox, and nothing else of the store', async () => {
    await store.collection('probe_orders').insertOne({ status: 'shipped' });
    expect(await registryOf([reader]).activities['probe.read']!({ collection: 'probe_orders' })).toEqual({
      found: true,
    });

    let seen: { keys: string[]; publish: unknown; getTicket: unknown; sent: boolean } | undefined;
    const probe = defineActivity({
      name: 'probe.store',
      description: 'Looks at its store',
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      async run(_input, ctx) {
        const wide = ctx.store as unknown as Record<string, unknown>;
        const { created } = await ctx.store.recordOutbound({
          idempotencyKey: 'probe-1',
          channel: 'log',
          to: 'ann@example.com',
          subject: 'Hello',
          body: 'Hi',
        });
        seen = {
          keys: Object.keys(ctx.store).sort(),
          publish: wide.publishVersion,
          getTicket: wide.getTicket,
          sent: created,
        };
        expect(() => ctx.store.collection('tickets')).toThrow(ReservedCollectionError);
        return { ok: true };
      },
    });
    await registryOf([probe]).activities['probe.store']!({});
    expect(seen).toEqual({
      keys: ['collection', 'dbName', 'recordOutbound'],
      publish: undefined,
      getTicket: undefined,
      sent: true,
    });
  });
});

describe("Baton's built-in activities", () => {
  test('still get the whole store', async () => {
    const builtin = defineActivity({
      name: 'baton.probeTickets',
      description: 'Counts tickets through the whole store',
      builtin: true,
      input: z.object({}),
      output: z.object({ tickets: z.number(), journeys: z.number() }),
      async run(_input, ctx) {
        return {
          tickets: (await ctx.store.listTickets()).length,
          journeys: await ctx.store.collection('journeys').countDocuments(),
        };
      },
    });
    expect(await registryOf([builtin]).activities['baton.probeTickets']!({})).toEqual({ tickets: 0, journeys: 0 });
  });

  test('a custom module cannot claim to be built-in', () => {
    const impostor = defineActivity({
      name: 'crm.impostor',
      description: 'Claims the whole store',
      builtin: true,
      input: z.object({}),
      output: z.object({}),
      async run() {
        return {};
      },
    });
    expect(() => batonActivityRegistry({ store, definitions: [impostor], logger: silent })).toThrow(
      /custom activities may not claim it: crm\.impostor/,
    );
  });
});
