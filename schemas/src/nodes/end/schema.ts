import { z } from 'zod';
import { Template } from '../../common';
import { defineNodeKind } from '../kind';
import { endForm } from './form';

export const Outcome = z.enum(['resolved_by_bot', 'resolved_by_agent', 'abandoned']);
export type Outcome = z.infer<typeof Outcome>;

export const EndData = z
  .object({
    label: z.string().max(200).optional(),
    outcome: Outcome,
    message: Template.optional(),
  })
  .strict();

export const endNode = defineNodeKind({
  kind: 'end',
  title: 'End',
  description: 'Ends the conversation with an outcome.',
  data: EndData,
  form: endForm,
  waits: false,
  handles: () => [],
  requiredHandles: () => [],
});
