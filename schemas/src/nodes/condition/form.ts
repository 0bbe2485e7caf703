import { defineForm, labelField } from '../form';

export const conditionForm = defineForm({
  fields: [
    labelField,
    {
      key: 'rules',
      label: 'Rules',
      help: 'Checked in order; the first that holds picks its handle, else "else".',
      control: 'list',
      itemLabel: 'rule',
      newItem: { id: 'rule', when: { '>=': [{ var: 'counters.failures' }, 2] } },
      fields: [
        { key: 'id', label: 'id', help: "The output handle's name.", control: 'text' },
        { key: 'label', label: 'label', control: 'text' },
        { key: 'when', label: 'when', control: 'rule' },
      ],
    },
  ],
  starter: { rules: [{ id: 'rule1', label: 'VIP', when: { '==': [{ var: 'customer.tier' }, 'gold'] } }] },
});
