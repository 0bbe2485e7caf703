import { z } from 'zod';
import { Seconds, VariableName } from '../../common';
import { Rule } from '../../rules';
import { RetryPolicy } from '../../activity';
import { defineNodeKind } from '../kind';
import { activityForm } from './form';

export const ActivityData = z
  .object({
    label: z.string().max(200).optional(),
    /** Registered activity name, e.g. `orders.lookup`. */
    activity: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/, 'must be an activity name such as "orders.lookup"'),
    /** Each input field is a JSONLogic expression over the context; a plain string or number is a literal. */
    input: z.record(z.string(), Rule).default({}),
    /** Variable that receives the activity's output. */
    output: VariableName.optional(),
    timeoutSeconds: Seconds.default(30),
    retry: RetryPolicy.default({
      maximumAttempts: 3,
      initialIntervalSeconds: 1,
      backoffCoefficient: 2,
      maximumIntervalSeconds: 30,
    }),
    /**
     * Temporal task queue of the workers that run the activity, when a team runs it on its own
     * workers. Usually left out: the compiler copies it from the activity catalog.
     */
    taskQueue: z
      .string()
      .min(1, 'a task queue name cannot be empty')
      .max(200)
      .regex(/^\S+$/, 'a task queue name has no spaces')
      .optional(),
  })
  .strict();

export const activityNode = defineNodeKind({
  kind: 'activity',
  title: 'Activity',
  description: 'Runs a built-in or custom activity with a timeout and retry policy; ok or error.',
  data: ActivityData,
  form: activityForm,
  waits: true,
  handles: () => ['ok', 'error'],
  requiredHandles: () => ['ok', 'error'],
});
