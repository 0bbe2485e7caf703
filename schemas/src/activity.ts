import { z } from 'zod';

export const RetryPolicy = z
  .object({
    maximumAttempts: z.number().int().min(1).max(1000).default(3),
    initialIntervalSeconds: z.number().positive().max(3600).default(1),
    backoffCoefficient: z.number().min(1).max(10).default(2),
    maximumIntervalSeconds: z.number().positive().max(86400).default(30),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicy>;

/** What a worker tells the catalog about one activity: the palette and the compiler read it. */
export const ActivityManifest = z.object({
  name: z.string(),
  description: z.string(),
  /** JSON Schema of the input object. */
  input: z.record(z.string(), z.unknown()),
  /** JSON Schema of the output. */
  output: z.record(z.string(), z.unknown()),
  builtin: z.boolean(),
  taskQueue: z.string().optional(),
  timeoutSeconds: z.number().optional(),
  retry: RetryPolicy.partial().optional(),
});
export type ActivityManifest = z.infer<typeof ActivityManifest>;
