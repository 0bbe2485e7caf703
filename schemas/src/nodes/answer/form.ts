import { defineForm, labelField } from '../form';

export const answerForm = defineForm({
  fields: [
    labelField,
    {
      key: 'question',
      label: 'Question (template)',
      help: "What to look up in the knowledge base; the customer's last message by default.",
      control: 'template',
    },
    {
      key: 'tags',
      label: 'Only articles tagged',
      help: 'One tag per line; an article with any of them may answer. Empty: every customer article.',
      control: 'strings',
    },
    {
      key: 'minConfidence',
      label: 'Minimum relevance (0–1)',
      help: 'Below this relevance of the best passage the conversation takes "unsure".',
      control: 'number',
      min: 0,
      max: 1,
      step: 0.05,
    },
    {
      key: 'confirm',
      label: 'Ask whether it answered',
      help: 'After the answer, ask the customer; "yes" leaves by "resolved", "no" by "not_resolved", no reply by "answered".',
      control: 'object',
      optional: true,
      newValue: { prompt: 'Did that answer your question?' },
      fields: [
        { key: 'prompt', label: 'Question', control: 'template', multiline: true },
        {
          key: 'timeoutSeconds',
          label: 'Wait for the reply (seconds)',
          help: 'Without a reply in this time the conversation leaves by "answered".',
          control: 'seconds',
        },
      ],
    },
    {
      key: 'variable',
      label: 'Result variable',
      help: 'Optional variable that receives { articleId, title, link, score } (null when unsure).',
      control: 'variable',
      writes: true,
    },
    { key: 'timeoutSeconds', label: 'Timeout (seconds)', help: 'For the knowledge-base lookup.', control: 'seconds' },
  ],
  starter: {},
});
