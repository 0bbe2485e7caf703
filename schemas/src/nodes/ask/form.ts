import { defineForm, labelField } from '../form';

export const askForm = defineForm({
  fields: [
    labelField,
    { key: 'prompt', label: 'Prompt', help: 'The question the customer reads.', control: 'template', multiline: true },
    {
      key: 'variable',
      label: 'Reply goes into variable',
      help: "The customer's reply is stored in this journey variable.",
      control: 'variable',
      writes: true,
    },
    {
      key: 'timeoutSeconds',
      label: 'Timeout (seconds)',
      help: 'Without a reply in this time the conversation takes "timeout".',
      control: 'seconds',
    },
  ],
  starter: { prompt: 'How can I help you today?', variable: 'reply' },
});
