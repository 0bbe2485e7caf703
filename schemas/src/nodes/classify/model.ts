import { z } from 'zod';
import { Id } from '../../common';

/** A published triage model's name (`baton triage publish MODEL --name N`). */
export const TriageModelName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'a model name is lowercase letters, digits, "_" or "-", starting with a letter');

/** What a model calls an intent (its training labels: `card_arrival`, `Refund_not_showing_up` …). */
export const ModelIntentName = z
  .string()
  .min(1, 'a model intent cannot be empty')
  .max(100, 'a model intent has at most 100 characters');

/** Handles a model-backed node keeps for itself. */
export const reservedClassifyHandles = ['fallback', 'other'] as const;

/** The most model intents one node routes (a model-backed node takes at least 200). */
export const maxRoutedModelIntents = 2000;

/** Which published triage model a classify node asks; the journey's publish pins `version`. */
export const TriageModelRef = z
  .object({
    name: TriageModelName,
    /** Filled in when the journey is published (the newest version then), so a conversation keeps its model. */
    version: z.number().int().positive().optional(),
    /** An extra bar over the model's own out-of-scope decision; none trusts the model alone. */
    minConfidence: z.number().min(0).max(1).optional(),
  })
  .strict();

/** Model intents that leave by one handle. */
export const IntentRoute = z
  .object({
    handle: Id,
    /** What the customer reads when the bot asks which of two routes they meant; the handle humanised by default. */
    title: z.string().min(1).max(80).optional(),
    intents: z
      .array(ModelIntentName)
      .min(1, 'a route needs at least one model intent')
      .max(maxRoutedModelIntents)
      .refine((list) => new Set(list).size === list.length, 'model intents must be unique'),
  })
  .strict();
