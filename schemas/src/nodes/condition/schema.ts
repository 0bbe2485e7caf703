import { z } from 'zod';
import { Id } from '../../common';
import { Rule } from '../../rules';
import { defineNodeKind } from '../kind';
import { conditionForm } from './form';

export const ConditionRule = z
  .object({
    /** Also the output handle's id. */
    id: Id,
    label: z.string().max(200).optional(),
    when: Rule,
  })
  .strict();

export const ConditionData = z
  .object({
    label: z.string().max(200).optional(),
    /** Evaluated in order; the first rule that holds wins, otherwise `else`. */
    rules: z
      .array(ConditionRule)
      .min(1, 'a condition needs at least one rule')
      .max(50)
      .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids must be unique')
      .refine((rules) => rules.every((r) => r.id !== 'else'), '"else" is reserved for the else handle'),
  })
  .strict();

export const conditionNode = defineNodeKind({
  kind: 'condition',
  title: 'Condition',
  description: 'Ordered rules over variables, customer, intent, sentiment and counters; one handle per rule plus else.',
  data: ConditionData,
  form: conditionForm,
  waits: false,
  handles: (data) => [...data.rules.map((r) => r.id), 'else'],
  requiredHandles: () => ['else'],
  fallbackHandle: 'else',
});
