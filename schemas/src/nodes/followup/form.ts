import { defineForm, labelField } from '../form';

export const followupForm = defineForm({
  fields: [
    labelField,
    { key: 'message', label: 'Message', control: 'template', multiline: true },
    {
      key: 'sendTranscript',
      label: 'Send the transcript',
      help: 'Through the outbound channel.',
      control: 'boolean',
    },
    {
      key: 'ces',
      label: 'Ask CES (1–7)',
      help: 'Customer Effort Score: "made it easy to handle my issue".',
      control: 'boolean',
    },
    { key: 'csat', label: 'Ask CSAT (1–5)', help: 'Customer satisfaction.', control: 'boolean' },
    { key: 'responseTimeoutSeconds', label: 'Response timeout (seconds)', control: 'seconds' },
    {
      key: 'surveyDelaySeconds',
      label: 'Survey delay (seconds)',
      help: 'Wait this long after the transcript before asking; a reply meanwhile reopens the ticket.',
      control: 'number',
      min: 0,
      step: 1,
    },
    {
      key: 'surveyLimitDays',
      label: 'At most one survey per customer in (days)',
      control: 'number',
      min: 1,
      max: 365,
      step: 1,
    },
    {
      key: 'relatedArticles',
      label: 'Offer related articles',
      help: 'Up to 3 knowledge-base articles (when a kb_articles collection exists).',
      control: 'boolean',
    },
  ],
  starter: {},
});
