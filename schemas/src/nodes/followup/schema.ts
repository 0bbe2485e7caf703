import { z } from 'zod';
import { Seconds, Template } from '../../common';
import { defineNodeKind } from '../kind';
import { followupForm } from './form';

export const FollowupData = z
  .object({
    label: z.string().max(200).optional(),
    message: Template.default('Thanks for reaching out. Could you tell us how it went?'),
    /** Send the transcript to the customer through the outbound channel. */
    sendTranscript: z.boolean().default(true),
    /** Customer Effort Score, 1 to 7: "made it easy to handle my issue". */
    ces: z.boolean().default(true),
    /** Customer satisfaction, 1 to 5. */
    csat: z.boolean().default(true),
    responseTimeoutSeconds: Seconds.default(60 * 60 * 24 * 3),
    /*
     * The fields below are optional so that journeys and recorded histories without them behave
     * exactly as before; any of them turns on the checked survey (timer, limit, articles).
     */
    /** Wait this long after the transcript before asking (a Temporal timer); a reply meanwhile reopens the ticket. */
    surveyDelaySeconds: z
      .number()
      .int()
      .min(0)
      .max(60 * 60 * 24 * 30)
      .optional(),
    /** At most one survey per customer in this many days (checked against the stored surveys). */
    surveyLimitDays: z.number().int().min(1).max(365).optional(),
    /** Offer up to 3 related knowledge-base articles (when a `kb_articles` collection exists). */
    relatedArticles: z.boolean().optional(),
  })
  .strict();

export const followupNode = defineNodeKind({
  kind: 'followup',
  title: 'Follow up',
  description: 'Sends the transcript and a CES/CSAT survey, and waits for the answers until a timeout.',
  data: FollowupData,
  form: followupForm,
  waits: true,
  // `reopened` (optional): a customer reply after a handoff's resolution leaves by it, typically back
  // to that handoff, which then reopens the same ticket with the same agent.
  handles: () => ['answered', 'timeout', 'reopened'],
  requiredHandles: () => ['answered', 'timeout'],
});
