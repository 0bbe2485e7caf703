import { z } from 'zod';
import { Id, Seconds, Template } from '../../common';
import { Rule, ruleOperators } from '../../rules';
import { defineNodeKind } from '../kind';
import { handoffForm } from './form';

export const Priority = z.enum(['low', 'normal', 'high', 'urgent']);

const allowedOperators = new Set<string>(ruleOperators);

/** The compiler inspects condition rules; routing rules are checked here, with the same allowed operators. */
function checkRuleOperators(rule: unknown, ctx: z.RefinementCtx, path: (string | number)[] = []): void {
  if (Array.isArray(rule)) {
    rule.forEach((item, index) => checkRuleOperators(item, ctx, [...path, index]));
    return;
  }
  if (rule === null || typeof rule !== 'object') return;
  const keys = Object.keys(rule);
  const operator = keys[0];
  if (keys.length !== 1 || operator === undefined) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: `an operation is an object with exactly one operator key, found ${keys.length} keys`,
    });
    return;
  }
  if (!allowedOperators.has(operator)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, operator],
      message: `unknown or forbidden rule operator "${operator}"`,
    });
    return;
  }
  if (operator !== 'var') checkRuleOperators((rule as Record<string, unknown>)[operator], ctx, [...path, operator]);
}

/** Rule first: the first route whose `when` holds picks the queue (e.g. customer tier → queue). */
export const HandoffRoute = z
  .object({
    when: Rule,
    queue: Id,
    priority: Priority.optional(),
  })
  .strict()
  .superRefine((route, ctx) => checkRuleOperators(route.when, ctx, ['when']));

/**
 * Durable routing (optional, so journeys and histories without it behave exactly as before): the
 * ticket is assigned among the queue's available agents with the skills, out-of-hours customers are
 * told when to expect an answer, and the queue's SLA timers run inside the conversation.
 */
export const HandoffRouting = z
  .object({
    skills: z.array(z.string().min(1).max(50)).max(20).default([]),
    rules: z.array(HandoffRoute).max(50).default([]),
  })
  .strict();

export const HandoffData = z
  .object({
    label: z.string().max(200).optional(),
    queue: z.string().min(1).max(100).default('support'),
    priority: Priority.default('normal'),
    reason: Template.min(1, 'say why the conversation is handed off'),
    /** The warm transition the customer reads. */
    message: Template.default("I'm bringing in a specialist who can dive deeper into this for you."),
    /** Told to the customer when an agent claims; `{{agent.name}}` is the agent. */
    claimedMessage: Template.default("You're now speaking with {{agent.name}}, a human agent."),
    /** How long to wait for an agent to claim before taking `timeout`. */
    timeoutSeconds: Seconds.default(60 * 60 * 24),
    routing: HandoffRouting.optional(),
  })
  .strict();

export const handoffNode = defineNodeKind({
  kind: 'handoff',
  title: 'Hand off',
  description:
    'Opens a ticket with the handoff packet and waits until an agent resolves it (or nobody claims it in time).',
  data: HandoffData,
  form: handoffForm,
  waits: true,
  handles: () => ['resolved', 'timeout'],
  requiredHandles: () => ['resolved', 'timeout'],
});
