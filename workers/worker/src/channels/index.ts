/**
 * Outbound channel adapters: how Baton reaches a customer outside the conversation (the transcript
 * after resolution). Chosen by configuration:
 *   BATON_OUTBOUND=log      (default) only recorded in the outbox, for development;
 *   BATON_OUTBOUND=webhook  POST JSON to BATON_WEBHOOK_URL, signed with HMAC-SHA256 of the body
 *                           (BATON_WEBHOOK_SECRET) in `X-Baton-Signature: sha256=<hex>`;
 *   BATON_OUTBOUND=smtp     an email through BATON_SMTP_URL (nodemailer), from BATON_SMTP_FROM.
 * Every send carries an idempotency key; a failure throws, so the activity's retry policy retries it.
 */
import { createHmac } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { z } from 'zod';

export interface OutboundEnvelope {
  /** The same for every retry of one message: receivers deduplicate on it. */
  idempotencyKey: string;
  conversationId: string;
  to: string;
  subject: string;
  body: string;
}

export interface OutboundChannel {
  readonly name: 'log' | 'webhook' | 'smtp';
  send(message: OutboundEnvelope): Promise<{ detail: string }>;
}

export const signatureHeader = 'x-baton-signature';

/** `sha256=<hex>` of the raw body: what a webhook receiver recomputes with the shared secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function logChannel(): OutboundChannel {
  return { name: 'log', send: async () => ({ detail: 'recorded in the outbox only (development channel)' }) };
}

export function webhookChannel(options: { url: string; secret: string; timeoutMs?: number }): OutboundChannel {
  return {
    name: 'webhook',
    async send(message) {
      const body = JSON.stringify({ type: 'transcript', ...message });
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [signatureHeader]: webhookSignature(options.secret, body),
          'idempotency-key': message.idempotencyKey,
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!response.ok) throw new Error(`webhook ${options.url} answered ${response.status}`);
      return { detail: `webhook answered ${response.status}` };
    },
  };
}

export function smtpChannel(options: { url: string; from: string }): OutboundChannel {
  const transport = createTransport(options.url);
  return {
    name: 'smtp',
    async send(message) {
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.body,
        headers: { 'X-Baton-Idempotency-Key': message.idempotencyKey },
      });
      if (info.rejected.length > 0) throw new Error(`the SMTP server rejected ${info.rejected.join(', ')}`);
      return { detail: `SMTP accepted: ${info.response}` };
    },
  };
}

const OutboundEnv = z
  .object({
    BATON_OUTBOUND: z.enum(['log', 'webhook', 'smtp']).default('log'),
    BATON_WEBHOOK_URL: z.url().optional(),
    BATON_WEBHOOK_SECRET: z.string().min(1).optional(),
    BATON_SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
      .optional(),
    BATON_SMTP_FROM: z.string().min(3).default('Baton <support@localhost>'),
  })
  .superRefine((env, ctx) => {
    if (env.BATON_OUTBOUND === 'webhook' && !env.BATON_WEBHOOK_URL)
      ctx.addIssue({ code: 'custom', path: ['BATON_WEBHOOK_URL'], message: 'required when BATON_OUTBOUND=webhook' });
    if (env.BATON_OUTBOUND === 'webhook' && !env.BATON_WEBHOOK_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['BATON_WEBHOOK_SECRET'],
        message: 'required when BATON_OUTBOUND=webhook (the HMAC key)',
      });
    if (env.BATON_OUTBOUND === 'smtp' && !env.BATON_SMTP_URL)
      ctx.addIssue({ code: 'custom', path: ['BATON_SMTP_URL'], message: 'required when BATON_OUTBOUND=smtp' });
  });

/** The channel the configuration names; a bad configuration throws naming the variable. */
export function channelFromEnv(env: Record<string, string | undefined> = process.env): OutboundChannel {
  const parsed = OutboundEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`outbound channel configuration: ${problems}`);
  }
  const config = parsed.data;
  if (config.BATON_OUTBOUND === 'webhook')
    return webhookChannel({ url: config.BATON_WEBHOOK_URL as string, secret: config.BATON_WEBHOOK_SECRET as string });
  if (config.BATON_OUTBOUND === 'smtp')
    return smtpChannel({ url: config.BATON_SMTP_URL as string, from: config.BATON_SMTP_FROM });
  return logChannel();
}
