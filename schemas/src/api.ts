import { z } from 'zod';
import { Id, JsonValueSchema, VariableName } from './common';

export const maxMessageLength = 4000;

export const Customer = z
  .object({
    id: z.string().min(1).max(200),
    name: z.string().max(200).optional(),
    email: z.string().max(320).optional(),
    tier: z.string().max(50).optional(),
  })
  .catchall(JsonValueSchema);
export type Customer = z.infer<typeof Customer>;

export const StartConversationBody = z
  .object({
    journeyId: Id,
    /** A published version; the latest when omitted. */
    version: z.number().int().positive().optional(),
    customer: Customer,
    variables: z.record(VariableName, JsonValueSchema).default({}),
    channel: z.string().min(1).max(50).default('api'),
    /** Optional caller-chosen id; a second start with the same id answers the existing conversation. */
    conversationId: Id.optional(),
  })
  .strict();
export type StartConversationBody = z.infer<typeof StartConversationBody>;

export const ClientMessageId = z.string().min(1).max(100);

export const CustomerMessageBody = z
  .object({
    clientMessageId: ClientMessageId,
    text: z.string().trim().min(1, 'a message needs text').max(maxMessageLength, `a message has at most ${maxMessageLength} characters`),
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
    text: z.string().trim().min(1).max(maxMessageLength),
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
