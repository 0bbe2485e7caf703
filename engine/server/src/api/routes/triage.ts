import express, { type Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from '../problem';
import { register, route } from './route';
import { createEmbeddedProvider, settleClassification, type EmbeddedAiProvider } from '@baton/ai';
import { triage as triageText } from '@baton/ai/triage';

const TriageBody = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});

/** All intents' examples together: what a journey's classify node holds, many times over. */
const maxExampleCharacters = 40_000;

const ClassifyBody = z
  .object({
    text: z.string().max(4000, 'must be at most 4000 characters'),
    intents: z
      .array(
        z.object({
          name: z.string().min(1).max(64),
          examples: z.array(z.string().max(500)).min(1).max(200),
          description: z.string().max(500).optional(),
          modelIntents: z.array(z.string().max(64)).max(30).optional(),
        }),
      )
      .min(1, 'declare at least one intent')
      .max(50),
    minConfidence: z.number().min(0).max(1).default(0.5),
  })
  .superRefine((body, ctx) => {
    // The scoring compares the text with every example: bound the whole, not only each part.
    const exampleCharacters = body.intents.reduce(
      (sum, intent) => sum + intent.examples.reduce((chars, example) => chars + example.length, 0),
      0,
    );
    if (exampleCharacters > maxExampleCharacters)
      ctx.addIssue({
        code: 'custom',
        path: ['intents'],
        message: `the examples have at most ${maxExampleCharacters} characters in all`,
      });
  });

type EmbeddedProvider = EmbeddedAiProvider;

export const triageTable = {
  triage: route({
    method: 'post',
    path: '/api/triage',
    audience: ['agent', 'designer'],
    tag: 'triage',
    summary: 'Intent, sentiment and whether to escalate, from the embedded triage model',
    body: TriageBody,
  }),
  classify: route({
    method: 'post',
    path: '/api/classify',
    audience: ['designer', 'agent'],
    tag: 'triage',
    summary: 'What a classify node with these intents gets from the embedded provider (the simulator)',
    body: ClassifyBody,
  }),
};

/**
 * `POST /api/triage` `{ text }` → `{ intent, confidence, sentiment, escalate, reasons }` from the
 * embedded triage model (loaded on the first request). 400 names `/text` when it is empty or longer
 * than 4000 characters.
 */
export function triageRoutes(): Router {
  const router: Router = express.Router();
  register(router, triageTable.triage, (req, res) => {
    const { text } = parseOrThrow(triageTable.triage.body, req.body);
    res.json(triageText(text));
  });

  let embedded: EmbeddedProvider | undefined;
  /**
   * `POST /api/classify` `{ text, intents, minConfidence? }` → what a classify node with these intents
   * gets from the embedded provider in production (trained model, example phrases; the agents'
   * corrections are the worker's), for the designer's simulator.
   */
  register(router, triageTable.classify, async (req, res) => {
    const body = parseOrThrow(triageTable.classify.body, req.body);
    embedded ??= createEmbeddedProvider();
    const answer = await embedded.classify(body.text, body.intents);
    res.json(
      settleClassification(
        answer,
        body.intents.map((intent) => intent.name),
        body.minConfidence,
      ),
    );
  });
  return router;
}
