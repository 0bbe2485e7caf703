import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isDuplicateKeyError } from '@baton/store';
import { defineActivity, nonRetryable } from '@baton/activity-sdk';

/** A refund as the demo shop records it, in the `refunds` collection of Baton's database. */
export interface RefundDocument {
  /** The activity execution's idempotency key: one refund per execution, however often it is retried. */
  _id: string;
  refundId: string;
  orderId: string;
  amountCents: number;
  reason: string;
  status: 'refunded';
  /** Who asked: the conversation (workflow id). */
  conversationId: string;
  createdAt: Date;
}

/**
 * `payments.refund`: refunds an amount of an order. The refund is recorded under the activity
 * execution's idempotency key (`ctx.idempotencyKey()`: workflow, run and activity id, the same for
 * every retry), so a retry after a failure that came after the write — a lost answer, a crashed
 * worker — finds the refund already applied and answers it with `duplicate: true` instead of paying
 * a second time. Another conversation, or another refund node in the same one, is another refund.
 */
export const refund = defineActivity({
  name: 'payments.refund',
  description: 'Refunds an amount of an order to the customer; a retry never refunds twice.',
  input: z.object({
    orderId: z
      .string({ error: 'an order id is needed' })
      .trim()
      .min(1, 'an order id is needed')
      .max(100)
      .transform((id) => id.toUpperCase().replace(/^#/, '')),
    amountCents: z
      .number({ error: 'the amount to refund, in cents, is needed' })
      .int('the amount is a whole number of cents')
      .positive('the amount must be more than 0 cents')
      .max(1_000_000, 'refunds above 10,000.00 need a person'),
    reason: z.string({ error: 'a reason is needed' }).trim().min(1, 'a reason is needed').max(500),
  }),
  output: z.object({
    refundId: z.string(),
    status: z.literal('refunded'),
    /** True when this execution had already applied the refund (a retry): nothing was paid again. */
    duplicate: z.boolean(),
  }),
  timeoutSeconds: 15,
  retry: { maximumAttempts: 5 },
  async run({ orderId, amountCents, reason }, ctx) {
    const key = ctx.idempotencyKey();
    const refundId = `rf_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
    const refunds = ctx.store.collection<RefundDocument>('refunds');
    const conversationId = ctx.info?.workflowExecution?.workflowId ?? '';
    try {
      // The unique _id is the idempotency key: of two attempts, one insert wins.
      await refunds.insertOne({
        _id: key,
        refundId,
        orderId,
        amountCents,
        reason,
        status: 'refunded',
        conversationId,
        createdAt: new Date(),
      });
      ctx.log.info(`refunded ${amountCents} cents on order ${orderId}`, { refundId });
      return { refundId, status: 'refunded' as const, duplicate: false };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await refunds.findOne({ _id: key });
    if (!existing) throw new Error(`refund ${refundId} vanished while it was recorded`);
    if (existing.orderId !== orderId || existing.amountCents !== amountCents) {
      // The same execution always gets the same input; anything else is a bug upstream, not something to retry.
      throw nonRetryable(
        `refund ${refundId} was already applied to order ${existing.orderId} for ${existing.amountCents} cents`,
        'RefundConflict',
      );
    }
    ctx.log.info(`refund ${refundId} on order ${orderId} was already applied; not refunding again`);
    return { refundId: existing.refundId, status: 'refunded' as const, duplicate: true };
  },
});
