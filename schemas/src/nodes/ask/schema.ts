import { z } from 'zod';
import { Seconds, Template, VariableName } from '../../common';
import { defineNodeKind } from '../kind';
import { askForm } from './form';

export const AskData = z
  .object({
    label: z.string().max(200).optional(),
    prompt: Template.min(1, 'an ask needs a prompt'),
    /** Journey variable that receives the customer's reply. */
    variable: VariableName,
    timeoutSeconds: Seconds.default(600),
  })
  .strict();

export const askNode = defineNodeKind({
  kind: 'ask',
  title: 'Ask',
  description: 'Asks the customer and waits for the reply (into a variable) or a timeout.',
  data: AskData,
  form: askForm,
  waits: true,
  handles: () => ['reply', 'timeout'],
  requiredHandles: () => ['reply', 'timeout'],
});
