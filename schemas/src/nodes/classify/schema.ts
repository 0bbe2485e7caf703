import { z } from 'zod';
import { Id, Template, VariableName } from '../../common';
import { triageModelIntents } from './intents';
import { defineNodeKind } from '../kind';
import { classifyForm } from './form';
import { IntentRoute, TriageModelRef, maxRoutedModelIntents, reservedClassifyHandles } from './model';

export { triageModelIntents } from './intents';
export {
  IntentRoute,
  ModelIntentName,
  TriageModelName,
  TriageModelRef,
  maxRoutedModelIntents,
  reservedClassifyHandles,
} from './model';
export const TriageModelIntent = z.enum(triageModelIntents);

export const IntentDeclaration = z
  .object({
    /** Also the output handle's id. */
    name: Id,
    /** What the customer reads when the bot asks which of two intents they meant; the name humanised by default. */
    title: z.string().min(1).max(80).optional(),
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

/** Asking "Did you mean A or B?" when the two best intents are close, or the best is only middling. */
export const ClarifySettings = z
  .object({
    enabled: z.boolean().default(true),
    /** Ask when the runner-up's confidence is within this much of the best's. */
    margin: z.number().min(0).max(1).default(0.15),
    /** Ask when the best confidence is below this (and at or above `minConfidence`); 0 turns it off. */
    below: z.number().min(0).max(1).default(0.75),
    /** A runner-up under this confidence is never offered (no "A or B?" with a B nobody meant). */
    minRunnerUp: z.number().min(0).max(1).default(0.1),
    /** `{{first}}` and `{{second}}` are the two intents' titles; other variables as in any template. */
    prompt: Template.default('Did you mean {{first}} or {{second}}?'),
    /** No reply by then: the node leaves by the best intent, as it would have without asking. */
    timeoutSeconds: z.number().int().positive().max(86_400).default(300),
  })
  .strict();

export const ClassifyData = z
  .object({
    label: z.string().max(200).optional(),
    /** What to classify; the customer's last message by default. */
    input: Template.default('{{lastMessage}}'),
    /** Example-phrase intents, one handle each (none on a model-backed node). */
    intents: z
      .array(IntentDeclaration)
      .max(50, 'at most 50 example-phrase intents; a model-backed node (model + routes) takes more')
      .refine((intents) => new Set(intents.map((i) => i.name)).size === intents.length, 'intent names must be unique')
      .refine(
        (intents) => intents.every((i) => i.name !== 'fallback'),
        '"fallback" is reserved for the fallback handle',
      )
      .default([]),
    /** A published triage model to classify with, in place of example phrases. */
    model: TriageModelRef.optional(),
    /** A model-backed node's handles: which of the model's intents leave by which handle; the rest by `other`. */
    routes: z.array(IntentRoute).max(200).optional(),
    /** Below this confidence the conversation takes `fallback` (example-phrase intents; a model uses its own). */
    minConfidence: z.number().min(0).max(1).default(0.5),
    /** Optional variable that receives { intent, confidence, sentiment }. */
    variable: VariableName.optional(),
    /** Ask which of the two best intents the customer meant when they are close (once per visit). */
    clarify: ClarifySettings.optional(),
    timeoutSeconds: z.number().int().positive().max(600).default(10),
  })
  .strict()
  .superRefine((data, ctx) => {
    if (!data.model) {
      if (data.intents.length === 0)
        ctx.addIssue({ code: 'custom', path: ['intents'], message: 'declare at least one intent' });
      if (data.routes !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['routes'],
          message: "routes map a model's intents to handles: name the model",
        });
      return;
    }
    if (data.intents.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['intents'],
        message:
          'a model-backed node routes the model\'s intents with "routes"; example-phrase intents are for nodes without a model',
      });
    const routes = data.routes ?? [];
    if (routes.length === 0)
      ctx.addIssue({ code: 'custom', path: ['routes'], message: 'a model-backed node needs at least one route' });
    const handles = new Set<string>();
    const routed = new Map<string, string>();
    routes.forEach((route, index) => {
      if ((reservedClassifyHandles as readonly string[]).includes(route.handle))
        ctx.addIssue({
          code: 'custom',
          path: ['routes', index, 'handle'],
          message: `"${route.handle}" is reserved (unrouted intents leave by "other", out of scope by "fallback")`,
        });
      if (handles.has(route.handle))
        ctx.addIssue({
          code: 'custom',
          path: ['routes', index, 'handle'],
          message: `handle "${route.handle}" has two routes`,
        });
      handles.add(route.handle);
      for (const intent of route.intents) {
        const earlier = routed.get(intent);
        if (earlier !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['routes', index, 'intents'],
            message: `model intent "${intent}" is already routed to "${earlier}"`,
          });
        else routed.set(intent, route.handle);
      }
    });
    if (routed.size > maxRoutedModelIntents)
      ctx.addIssue({
        code: 'custom',
        path: ['routes'],
        message: `at most ${maxRoutedModelIntents} model intents per node (found ${routed.size})`,
      });
  });

export const classifyNode = defineNodeKind({
  kind: 'classify',
  title: 'Classify',
  description:
    "Intent and sentiment of the customer's message through the AI provider or a published triage model; one handle per intent (or route, plus other) and fallback.",
  data: ClassifyData,
  form: classifyForm,
  waits: true,
  handles: (data) =>
    data.model
      ? [...(data.routes ?? []).map((route) => route.handle), 'other', 'fallback']
      : [...data.intents.map((i) => i.name), 'fallback'],
  requiredHandles: () => ['fallback'],
  fallbackHandle: 'fallback',
});
