import { defineForm, labelField } from '../form';

export const messageForm = defineForm({
  fields: [
    labelField,
    {
      key: 'text',
      label: 'Text',
      help: 'What the bot says; {{ }} reads the context.',
      control: 'template',
      multiline: true,
    },
  ],
  starter: { text: 'Hi {{customer.name}}!' },
});
