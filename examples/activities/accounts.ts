import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineActivity } from '@baton/activity-sdk';

/**
 * `accounts.sendResetLink`: emails the customer a password reset link (here through the outbox's
 * "log" channel). A Temporal retry of the same activity never sends a second email: the outbox
 * entry is keyed by the activity execution (workflow, run, activity id).
 */
export const sendResetLink = defineActivity({
  name: 'accounts.sendResetLink',
  description: "Sends a password reset link to the customer's email address.",
  input: z.object({
    email: z.email({ error: 'a valid email address is needed to send a reset link' }),
    customerId: z.string().min(1, 'the customer id is needed'),
  }),
  output: z.object({
    sent: z.literal(true),
    to: z.string(),
    // The token of the emailed link: whoever reads it can reset the password.
    resetId: z.string().meta({ secret: true }),
  }),
  timeoutSeconds: 10,
  retry: { maximumAttempts: 3 },
  async run({ email, customerId }, ctx) {
    const key = ctx.idempotencyKey();
    // Derived from the execution, so a retry names the same reset (and the same link).
    const resetId = `rst_${createHash('sha256').update(`${key}:${customerId}`).digest('hex').slice(0, 20)}`;
    const { created } = await ctx.store.recordOutbound({
      idempotencyKey: `reset-link:${key}`,
      channel: 'log',
      to: email,
      subject: 'Reset your password',
      body: `Hello,\n\nfollow this link to choose a new password: https://accounts.example.com/reset/${resetId}\n\nIt expires in one hour. If you did not ask for it, ignore this email.`,
    });
    // Neither the link's token nor the address goes to the log: the token resets the password.
    ctx.log.info(created ? 'reset link sent' : 'reset link was already sent', { customerId });
    return { sent: true as const, to: email, resetId };
  },
});
