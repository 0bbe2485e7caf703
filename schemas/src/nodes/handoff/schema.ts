import { z } from 'zod';
import { Seconds, Template } from '../../common';
import { defineNodeKind } from '../kind';

export const Priority = z.enum(['low', 'normal', 'high', 'urgent']);

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
  })
  .strict();

export const handoffNode = defineNodeKind({
  kind: 'handoff',
  title: 'Hand off',
  description: 'Opens a ticket with the handoff packet and waits until an agent resolves it (or nobody claims it in time).',
  data: HandoffData,
  waits: true,
  handles: () => ['resolved', 'timeout'],
  requiredHandles: () => ['resolved', 'timeout'],
});
