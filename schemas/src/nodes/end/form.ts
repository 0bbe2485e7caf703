import { defineForm, labelField } from '../form';

export const endForm = defineForm({
  fields: [
    labelField,
    {
      key: 'outcome',
      label: 'Outcome',
      control: 'enum',
      options: ['resolved_by_bot', 'resolved_by_agent', 'abandoned'],
    },
    { key: 'message', label: 'Closing message', control: 'template', multiline: true },
  ],
  starter: { outcome: 'resolved_by_bot' },
});
