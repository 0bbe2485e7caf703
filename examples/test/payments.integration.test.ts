/**
 * `payments.refund` through the registry's wrapper (as the worker registers it), in Temporal's
 * MockActivityEnvironment, against the real MongoDB-wire server: a retried attempt never refunds
 * twice.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import type { Info } from '@temporalio/activity';
import type { Collection, Document } from 'mongodb';
import { connectStore, type Store } from '@baton/store';
import { batonActivityRegistry, type ActivityRegistry } from '@baton/worker';
import { refund, type RefundDocument } from '../activities';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

let store: Store;
let registry: ActivityRegistry;
/** The same activity, on a store whose first refund write succeeds and then fails (the answer is lost). */
let flaky: ActivityRegistry;
let failuresLeft = 0;

/**
 * A store whose `refunds` collection writes and then throws, `failuresLeft` times: what a worker
 * sees when the connection drops after the server applied the write. Test-only; the activity is
 * unchanged.
 */
function failingAfterWrite(real: Store): Store {
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property !== 'collection') return Reflect.get(target, property, receiver) as unknown;
      return <T extends Document>(name: string): Collection<T> => {
        const collection = target.collection<T>(name);
        if (name !== 'refunds') return collection;
        return new Proxy(collection, {
          get(inner, key, innerReceiver) {
            if (key !== 'insertOne') return Reflect.get(inner, key, innerReceiver) as unknown;
            return async (...args: Parameters<Collection<T>['insertOne']>) => {
              const result = await inner.insertOne(...args);
              if (failuresLeft > 0) {
                failuresLeft -= 1;
                throw new Error('connection reset after the write');
              }
              return result;
            };
          },
        });
      };
    },
  });
}

beforeAll(async () => {
  store = await connectStore(requireServers().mongoUri, uniqueDbName('baton_test_payments'));
  registry = batonActivityRegistry({ store, definitions: [refund], logger: silent });
  flaky = batonActivityRegistry({ store: failingAfterWrite(store), definitions: [refund], logger: silent });
});

afterAll(async () => {
  if (store) {
    await store.collection('refunds').db.dropDatabase();
    await store.close();
  }
});

/** The activity context of one execution of a workflow's activity (retries share it, with a higher attempt). */
function environment(workflowId: string, activityId: string, attempt = 1): MockActivityEnvironment {
  const info: Partial<Info> = {
    activityId,
    attempt,
    activityType: 'payments.refund',
    workflowExecution: { workflowId, runId: `${workflowId}-run-1` },
    workflowType: 'journeyWorkflow',
  };
  return new MockActivityEnvironment(info, { logger: { log() {}, trace() {}, ...silent } });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const refunds = () => store.collection<RefundDocument>('refunds');
const input = { orderId: '#a1003', amountCents: 2599, reason: 'HDMI cable arrived broken' };

describe('payments.refund', () => {
  it('a retry of an attempt that failed after writing applies the refund once and says duplicate', async () => {
    const flakyRefund = flaky.activities['payments.refund']!;
    failuresLeft = 1;
    const first = await rejection(environment('conv-p1', 'refund#4').run(flakyRefund, input));
    // A plain error: Temporal retries it.
    expect(first).toBeInstanceOf(Error);
    expect(first).not.toBeInstanceOf(ApplicationFailure);
    expect((first as Error).message).toBe('connection reset after the write');
    expect(await refunds().countDocuments({ conversationId: 'conv-p1' })).toBe(1);

    const retry = await environment('conv-p1', 'refund#4', 2).run(flakyRefund, input);
    expect(retry).toEqual({
      refundId: expect.stringMatching(/^rf_[0-9a-f]{20}$/),
      status: 'refunded',
      duplicate: true,
    });
    const stored = await refunds().find({ conversationId: 'conv-p1' }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      _id: 'conv-p1/conv-p1-run-1/refund#4',
      refundId: (retry as { refundId: string }).refundId,
      orderId: 'A1003',
      amountCents: 2599,
      status: 'refunded',
    });

    // Temporal retrying once more (or a replayed workflow asking again) changes nothing either.
    expect(await environment('conv-p1', 'refund#4', 3).run(registry.activities['payments.refund']!, input)).toEqual(
      retry,
    );
    expect(await refunds().countDocuments({ conversationId: 'conv-p1' })).toBe(1);
  });

  it('different conversations, or a second refund node, are different refunds', async () => {
    const run = registry.activities['payments.refund']!;
    const refundIn = async (workflowId: string, activityId: string) => {
      const output: unknown = await environment(workflowId, activityId).run(run, input);
      return output as { refundId: string; duplicate: boolean };
    };
    const a = await refundIn('conv-p2', 'refund#2');
    const b = await refundIn('conv-p3', 'refund#2');
    const c = await refundIn('conv-p2', 'refund#5');
    expect([a.duplicate, b.duplicate, c.duplicate]).toEqual([false, false, false]);
    expect(new Set([a.refundId, b.refundId, c.refundId]).size).toBe(3);
    expect(await refunds().countDocuments({ conversationId: { $in: ['conv-p2', 'conv-p3'] } })).toBe(3);
  });

  it('refuses an invalid amount without retrying, naming the field, and refunds nothing', async () => {
    const run = registry.activities['payments.refund']!;
    for (const [amountCents, message] of [
      [-500, 'amountCents: the amount must be more than 0 cents'],
      [12.5, 'amountCents: the amount is a whole number of cents'],
      ['25', 'amountCents: the amount to refund, in cents, is needed'],
    ] as const) {
      const failure = await rejection(environment('conv-p4', 'refund#1').run(run, { ...input, amountCents }));
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).nonRetryable).toBe(true);
      expect((failure as ApplicationFailure).message).toBe(`invalid input for payments.refund: ${message}`);
    }
    const missing = await rejection(environment('conv-p4', 'refund#1').run(run, { orderId: 'A1001' }));
    expect((missing as ApplicationFailure).message).toMatch(/amountCents: .*; reason: a reason is needed/);
    expect(await refunds().countDocuments({ conversationId: 'conv-p4' })).toBe(0);
  });

  it('refuses the same execution asking for a different refund (a bug upstream), without retrying', async () => {
    const run = registry.activities['payments.refund']!;
    await environment('conv-p5', 'refund#1').run(run, input);
    const failure = await rejection(environment('conv-p5', 'refund#1', 2).run(run, { ...input, amountCents: 9999 }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'RefundConflict' });
    expect((failure as ApplicationFailure).message).toMatch(/already applied to order A1003 for 2599 cents/);
    expect(await refunds().countDocuments({ conversationId: 'conv-p5' })).toBe(1);
  });

  it('needs the activity context for its idempotency key', async () => {
    await expect(registry.activities['payments.refund']!(input)).rejects.toThrow(/needs a Temporal activity context/);
  });
});
