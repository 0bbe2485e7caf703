import { defineForm, labelField } from '../form';

export const activityForm = defineForm({
  fields: [
    labelField,
    { key: 'activity', label: 'Activity', help: 'A built-in or registered custom activity.', control: 'activity' },
    {
      key: 'input',
      label: 'Input',
      help: 'Each field is a literal or a value read from the conversation.',
      control: 'activityInput',
    },
    {
      key: 'output',
      label: 'Output variable',
      help: "Receives the activity's output.",
      control: 'variable',
      writes: true,
    },
    { key: 'timeoutSeconds', label: 'Timeout (seconds)', control: 'seconds' },
    {
      key: 'retry',
      label: 'Retry policy',
      control: 'object',
      fields: [
        { key: 'maximumAttempts', label: 'Maximum attempts', control: 'number', min: 1, step: 1 },
        { key: 'initialIntervalSeconds', label: 'First retry after (seconds)', control: 'number', min: 0 },
        { key: 'backoffCoefficient', label: 'Backoff coefficient', control: 'number', min: 1, step: 0.5 },
        { key: 'maximumIntervalSeconds', label: 'Longest interval (seconds)', control: 'number', min: 0 },
      ],
    },
    {
      key: 'taskQueue',
      label: 'Task queue',
      help: 'Usually empty: the compiler takes it from the activity catalog.',
      control: 'text',
    },
  ],
  starter: { activity: 'kb.search' },
});
