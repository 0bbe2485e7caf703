import { z } from 'zod';
import { Seconds, Template, VariableName } from '../../common';
import { defineNodeKind } from '../kind';
import { answerForm } from './form';

export const AnswerConfirm = z
  .object({
    prompt: Template.min(1, 'the confirmation needs a question').default('Did that answer your question?'),
    timeoutSeconds: Seconds.default(600),
  })
  .strict();

export const AnswerData = z
  .object({
    label: z.string().max(200).optional(),
    /** What to look up; the customer's last message by default. */
    question: Template.default('{{lastMessage}}'),
    /** Only customer articles with one of these tags answer (all customer articles when absent or empty). */
    tags: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
    /** Relevance (0..1, calibrated by the worker) the best passage needs; below it the node takes `unsure`. */
    minConfidence: z.number().min(0).max(1).default(0.4),
    /** Asks "Did that answer your question?" after the answer (resolved / not_resolved / answered on no reply). */
    confirm: AnswerConfirm.optional(),
    /** Optional variable that receives { articleId, title, link, score }, or null when unsure. */
    variable: VariableName.optional(),
    timeoutSeconds: z.number().int().positive().max(600).default(10),
  })
  .strict();

export const answerNode = defineNodeKind({
  kind: 'answer',
  title: 'Answer',
  description:
    "Answers the customer's question from customer-facing knowledge-base articles, citing the article; unsure when none is relevant enough.",
  data: AnswerData,
  form: answerForm,
  waits: true,
  handles: (data) => (data.confirm ? ['answered', 'resolved', 'not_resolved', 'unsure'] : ['answered', 'unsure']),
  requiredHandles: (data) =>
    data.confirm ? ['answered', 'resolved', 'not_resolved', 'unsure'] : ['answered', 'unsure'],
});
