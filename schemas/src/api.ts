import { z } from 'zod';
import { Id, JsonValueSchema, VariableName } from './common';

export const maxMessageLength = 4000;

const customerFields = {
  id: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  tier: z.string().max(50).optional(),
};

/**
 * A conversation's customer. `verified` is true only when a host site vouched for them with a signed
 * identity token (docs/security.md#identity-tokens); otherwise every field is the caller's claim.
 */
export const Customer = z.object({ ...customerFields, verified: z.boolean().optional() }).catchall(JsonValueSchema);
export type Customer = z.infer<typeof Customer>;

/** The customer as a caller or a host site describes them: anything but `verified`, which only Baton sets. */
export const ClaimedCustomer = z
  .object(customerFields)
  .catchall(JsonValueSchema)
  .superRefine((customer, ctx) => {
    if ('verified' in customer)
      ctx.addIssue({
        code: 'custom',
        path: ['verified'],
        message: 'is set by Baton: only a signed identityToken verifies a customer',
      });
  });
export type ClaimedCustomer = z.infer<typeof ClaimedCustomer>;

/** An alias of a journey (`live`, `beta`, `canary-2024` …): lower case, like a DNS label. */
export const AliasName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]{0,62}$/,
    'must start with a lower-case letter and contain only lower-case letters, digits, "_" or "-" (at most 63)',
  );
export type AliasName = z.infer<typeof AliasName>;

export const StartConversationBody = z
  .object({
    journeyId: Id,
    /** A published version. Neither this nor `alias`: the `live` alias when the journey has one, else the latest version. */
    version: z.number().int().positive().optional(),
    /** An alias of the journey; its routes choose the version (deterministically per conversation id). */
    alias: AliasName.optional(),
    /** Who the customer says they are: unverified claims (`customer.verified` is false). Not with `identityToken`. */
    customer: ClaimedCustomer.optional(),
    /**
     * A host site's signed identity token (`base64url(payload).base64url(HMAC-SHA256)`): the customer
     * comes from its payload, with `customer.verified` true. Not with `customer`.
     */
    identityToken: z.string().min(1).max(4096).optional(),
    /** Values for the journey's variables declared `input: true`, of their declared types; any other is refused. */
    variables: z.record(VariableName, JsonValueSchema).default({}),
    channel: z.string().min(1).max(50).default('api'),
    /** Optional caller-chosen id; a second start with the same id answers the existing conversation. */
    conversationId: Id.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.version !== undefined && body.alias !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['alias'], message: 'give a version or an alias, not both' });
    }
    if (body.customer === undefined && body.identityToken === undefined)
      ctx.addIssue({ code: 'custom', path: ['customer'], message: 'give a customer or an identityToken' });
    if (body.customer !== undefined && body.identityToken !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['customer'],
        message: 'give a customer or an identityToken, not both: the token names the customer',
      });
  });
export type StartConversationBody = z.infer<typeof StartConversationBody>;

export const ClientMessageId = z.string().min(1).max(100);

/**
 * Characters that show nothing: zero-width spaces and joiners, the word joiner, the BOM, soft hyphens,
 * the Mongolian vowel separator. A message of only these (and whitespace) is empty.
 */
export const invisibleCharacters = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g;

export function isBlankText(text: string): boolean {
  return text.replace(invisibleCharacters, '').trim() === '';
}

/** The text of a customer's or an agent's message: trimmed, not blank (invisible characters alone count as blank). */
export const MessageText = z
  .string()
  .trim()
  .max(maxMessageLength, `a message has at most ${maxMessageLength} characters`)
  .refine((text) => !isBlankText(text), 'a message needs text');

export const CustomerMessageBody = z
  .object({
    clientMessageId: ClientMessageId,
    text: MessageText,
  })
  .strict();
export type CustomerMessageBody = z.infer<typeof CustomerMessageBody>;

export const Agent = z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(200) }).strict();
export type Agent = z.infer<typeof Agent>;

export const ClaimTicketBody = z.object({ agent: Agent }).strict();
export const AgentMessageBody = z
  .object({
    agent: Agent,
    clientMessageId: ClientMessageId,
    text: MessageText,
  })
  .strict();
export const ResolveTicketBody = z.object({ agent: Agent, resolution: z.string().max(2000).optional() }).strict();

export const SurveyBody = z
  .object({
    ces: z.number().int().min(1).max(7).optional(),
    csat: z.number().int().min(1).max(5).optional(),
    comment: z.string().max(2000).optional(),
  })
  .strict()
  .refine((s) => s.ces !== undefined || s.csat !== undefined, 'answer at least one of ces or csat');
export type SurveyBody = z.infer<typeof SurveyBody>;

export const PublishBody = z
  .object({ message: z.string().max(500).optional(), author: z.string().max(200).optional() })
  .strict()
  .default({});

export const AliasRoute = z
  .object({
    version: z.number().int().positive(),
    percent: z.number().int('a whole number of percent').min(1).max(100),
  })
  .strict();
export type AliasRoute = z.infer<typeof AliasRoute>;

/** One route at 100 %, or two distinct versions whose percents sum to 100 (a canary). */
export const AliasRoutes = z
  .array(AliasRoute)
  .min(1, 'an alias has one route, or two (a canary)')
  .max(2, 'an alias has one route, or two (a canary)')
  .superRefine((routes, ctx) => {
    const sum = routes.reduce((total, route) => total + route.percent, 0);
    if (sum !== 100) ctx.addIssue({ code: 'custom', message: `the percents sum to ${sum}, not 100` });
    if (routes.length === 2 && routes[0]?.version === routes[1]?.version)
      ctx.addIssue({ code: 'custom', message: 'the two routes name the same version' });
  });

/** `PUT /api/journeys/:id/aliases/:alias`: `{ version }` (all traffic) or `{ routes }` (a split). */
export const SetAliasBody = z
  .object({
    version: z.number().int().positive().optional(),
    routes: AliasRoutes.optional(),
    author: z.string().max(200).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.version === undefined && body.routes === undefined)
      ctx.addIssue({ code: 'custom', path: ['version'], message: 'give a version, or routes for a split' });
    if (body.version !== undefined && body.routes !== undefined)
      ctx.addIssue({ code: 'custom', path: ['routes'], message: 'give a version or routes, not both' });
  });
export type SetAliasBody = z.infer<typeof SetAliasBody>;

export const RollbackAliasBody = z
  .object({ author: z.string().max(200).optional() })
  .strict()
  .default({});

/** `POST /api/journeys/:id/migrations`: move the conversations waiting on version `from` to `to` (a dry run unless `dryRun: false`). */
export const MigrationBody = z
  .object({
    from: z.number().int().positive(),
    to: z.number().int().positive(),
    dryRun: z.boolean().default(true),
    author: z.string().max(200).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.from === body.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `must differ from "from" (${body.from})` });
  });
export type MigrationBody = z.infer<typeof MigrationBody>;
