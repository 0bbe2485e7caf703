import { defineForm, labelField } from '../form';

export const setForm = defineForm({
  fields: [
    labelField,
    {
      key: 'assign',
      label: 'Assignments',
      help: 'Run in order; each sees the ones before it.',
      control: 'list',
      itemLabel: 'assignment',
      newItem: { variable: 'attempts', value: 1 },
      fields: [
        { key: 'variable', label: 'variable', control: 'variable', writes: true },
        {
          key: 'value',
          label: 'value',
          help: 'A literal (1, "text", true) or JSONLogic, e.g. {"+": [{"var": "attempts"}, 1]}.',
          control: 'expression',
        },
      ],
    },
  ],
  starter: { assign: [{ variable: 'attempts', value: 1 }] },
});
