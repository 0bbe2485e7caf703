import { z } from 'zod';
import { VariableName } from '../../common';
import { Rule } from '../../rules';
import { defineNodeKind } from '../kind';
import { setForm } from './form';

export const SetData = z
  .object({
    label: z.string().max(200).optional(),
    /** Assignments run in order; each value is a JSONLogic expression (a literal is a literal). */
    assign: z.array(z.object({ variable: VariableName, value: Rule }).strict()).min(1, 'assign at least one variable'),
  })
  .strict();

export const setNode = defineNodeKind({
  kind: 'set',
  title: 'Set variables',
  description: 'Assigns variables from expressions, e.g. attempts = attempts + 1.',
  data: SetData,
  form: setForm,
  waits: false,
  handles: () => ['next'],
  requiredHandles: () => ['next'],
});
