import express, { type Router } from 'express';
import { z } from 'zod';
import { parseOrThrow } from './problem';
import { allow } from './access';

const TriageBody = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(4000, 'must be at most 4000 characters'),
});

type TriageFn = (text: string) => { intent: string; confidence: number; sentiment: number; escalate: boolean; reasons: string[] };

/**
 * `POST /api/triage` `{ text }` → `{ intent, confidence, sentiment, escalate, reasons }` from the
 * embedded triage model (loaded on the first request). 400 names `/text` when it is empty or longer
 * than 4000 characters.
 */
export function triageRoutes(): Router {
  const router: Router = express.Router();
  let triage: TriageFn | undefined;
  router.post('/triage', allow('agent', 'designer'), (req, res) => {
    const { text } = parseOrThrow(TriageBody, req.body);
    if (!triage) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      triage = (require('@baton/workers/triage') as typeof import('@baton/workers/triage')).triage;
    }
    res.json(triage(text));
  });
  return router;
}
