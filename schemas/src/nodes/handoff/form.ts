import { defineForm, labelField } from '../form';

const priorities = ['low', 'normal', 'high', 'urgent'] as const;

export const handoffForm = defineForm({
  fields: [
    labelField,
    { key: 'queue', label: 'Queue', control: 'text' },
    { key: 'priority', label: 'Priority', control: 'enum', options: priorities },
    {
      key: 'reason',
      label: 'Reason',
      help: 'Why the conversation is handed off (the agent reads it).',
      control: 'template',
      multiline: true,
    },
    {
      key: 'message',
      label: 'Transition message',
      help: 'The warm transition the customer reads.',
      control: 'template',
      multiline: true,
    },
    {
      key: 'claimedMessage',
      label: 'Claimed message',
      help: 'Told to the customer when an agent claims; {{agent.name}} is the agent.',
      control: 'template',
      multiline: true,
      check: false,
    },
    {
      key: 'timeoutSeconds',
      label: 'Claim timeout (seconds)',
      help: 'How long to wait for an agent to claim before taking "timeout".',
      control: 'seconds',
    },
    {
      key: 'routing',
      label: 'Routing',
      help: "Assign among the queue's available agents with the skills; the first rule that holds picks the queue.",
      control: 'object',
      optional: true,
      newValue: { skills: [], rules: [] },
      fields: [
        { key: 'skills', label: 'Skills', help: 'One skill per line.', control: 'strings' },
        {
          key: 'rules',
          label: 'Routes',
          control: 'list',
          itemLabel: 'route',
          newItem: { when: { '==': [{ var: 'customer.tier' }, 'gold'] }, queue: 'vip' },
          fields: [
            { key: 'when', label: 'when', control: 'rule', check: false },
            { key: 'queue', label: 'queue', control: 'text' },
            { key: 'priority', label: 'priority', control: 'enum', options: priorities, optional: true },
          ],
        },
      ],
    },
  ],
  starter: { reason: 'The customer needs a person' },
});
