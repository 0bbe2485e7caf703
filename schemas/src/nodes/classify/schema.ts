import { z } from 'zod';
import { Id, Template, VariableName } from '../../common';
import { triageModelIntents } from './intents';
import { defineNodeKind } from '../kind';
import { classifyForm } from './form';

export { triageModelIntents } from './intents';
export const TriageModelIntent = z.enum(triageModelIntents);

export const IntentDeclaration = z
  .object({
    /** Also the output handle's id. */
    name: Id,
    description: z.string().max(500).optional(),
    examples: z.array(z.string().min(1).max(500)).min(1, 'an intent needs at least one example phrase').max(200),
    /** Intents of the trained triage model this intent stands for (an intent named like one of them maps to it by itself). */
    modelIntents: z
      .array(TriageModelIntent)
      .min(1)
      .max(triageModelIntents.length)
      .refine((list) => new Set(list).size === list.length, 'model intents must be unique')
      .optional(),
  })
  .strict();

export const ClassifyData = z
  .object({
    label: z.string().max(200).optional(),
    /** What to classify; the customer's last message by default. */
    input: Template.default('{{lastMessage}}'),
    intents: z
      .array(IntentDeclaration)
      .min(1, 'declare at least one intent')
      .max(50)
      .refine((intents) => new Set(intents.map((i) => i.name)).size === intents.length, 'intent names must be unique')
      .refine(
        (intents) => intents.every((i) => i.name !== 'fallback'),
        '"fallback" is reserved for the fallback handle',
      ),
    /** Below this confidence the conversation takes `fallback`. */
    minConfidence: z.number().min(0).max(1).default(0.5),
    /** Optional variable that receives { intent, confidence, sentiment }. */
    variable: VariableName.optional(),
    timeoutSeconds: z.number().int().positive().max(600).default(10),
  })
  .strict();

export const classifyNode = defineNodeKind({
  kind: 'classify',
  title: 'Classify',
  description:
    "Intent and sentiment of the customer's message through the AI provider; one handle per intent plus fallback.",
  data: ClassifyData,
  form: classifyForm,
  waits: true,
  handles: (data) => [...data.intents.map((i) => i.name), 'fallback'],
  requiredHandles: () => ['fallback'],
  fallbackHandle: 'fallback',
});
