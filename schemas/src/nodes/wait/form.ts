import { defineForm, labelField } from '../form';

export const waitForm = defineForm({
  fields: [labelField, { key: 'seconds', label: 'Seconds', help: 'A durable timer.', control: 'seconds' }],
  starter: { seconds: 3600 },
});
