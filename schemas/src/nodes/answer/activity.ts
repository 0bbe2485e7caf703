/** `baton.answer`: the built-in activity behind the answer node (the worker retrieves and answers). */
import { z } from 'zod';
import { contract } from '../../builtin-contract';
import { builtinActivityNames } from '../../builtin-activity-names';

/** The article an answer cites: its title and where the customer reads it (its link, else `/kb/<id>`). */
export const AnswerCitation = z.object({
  articleId: z.string().min(1).max(200),
  title: z.string().min(1).max(200),
  link: z.string().min(1).max(2000),
});

export const answerContract = contract({
  name: builtinActivityNames.answer,
  description:
    "Answers the customer's question from customer-facing knowledge-base articles (never internal ones), citing one; unsure below the relevance threshold.",
  timeoutSeconds: 10,
  retry: { maximumAttempts: 2 },
  input: z.object({
    question: z.string().max(100_000),
    /** Only customer articles with one of these tags (all customer articles when absent or empty). */
    tags: z.array(z.string().min(1).max(50)).max(20).optional(),
    minConfidence: z.number().min(0).max(1).default(0.4),
    journeyId: z.string().min(1).max(200).optional(),
    customerName: z.string().max(200).optional(),
    /** The customer's language tag: articles in that language or without one. */
    locale: z.string().max(35).optional(),
  }),
  output: z.object({
    status: z.enum(['answered', 'unsure']),
    /** What the customer reads (null when unsure). */
    answer: z.string().max(4000).nullable(),
    article: AnswerCitation.nullable(),
    /** Calibrated relevance 0..1 of the best passage. */
    score: z.number().min(0).max(1),
    reasons: z.array(z.string()),
  }),
});
