import { z } from 'zod';
import { Seconds, Template } from '../../common';
import { defineNodeKind } from '../kind';

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
  })
  .strict();

export const followupNode = defineNodeKind({
  kind: 'followup',
  title: 'Follow up',
  description: 'Sends the transcript and a CES/CSAT survey, and waits for the answers until a timeout.',
  data: FollowupData,
  waits: true,
  handles: () => ['answered', 'timeout'],
  requiredHandles: () => ['answered', 'timeout'],
});
