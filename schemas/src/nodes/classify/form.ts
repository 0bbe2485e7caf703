import { defineForm, labelField } from '../form';
import { triageModelIntents } from './intents';

export const classifyForm = defineForm({
  fields: [
    labelField,
    {
      key: 'input',
      label: 'Input (template)',
      help: "What to classify; the customer's last message by default.",
      control: 'template',
    },
    {
      key: 'intents',
      label: 'Intents (one output handle each, plus fallback)',
      control: 'list',
      itemLabel: 'intent',
      newItem: { name: 'intent', examples: [] },
      fields: [
        { key: 'name', label: 'intent name', help: "Also the output handle's id.", control: 'text' },
        { key: 'description', label: 'description', control: 'text' },
        { key: 'examples', label: 'example phrases', help: 'One example phrase per line.', control: 'strings' },
        {
          key: 'modelIntents',
          label: 'model intents',
          help: 'Intents of the trained triage model this intent stands for.',
          control: 'enums',
          options: triageModelIntents,
        },
      ],
    },
    {
      key: 'minConfidence',
      label: 'Minimum confidence (0–1)',
      help: 'Below this confidence the conversation takes "fallback".',
      control: 'number',
      min: 0,
      max: 1,
      step: 0.05,
    },
    {
      key: 'variable',
      label: 'Result variable',
      help: 'Optional variable that receives { intent, confidence, sentiment }.',
      control: 'variable',
      writes: true,
    },
    { key: 'timeoutSeconds', label: 'Timeout (seconds)', control: 'seconds' },
  ],
  starter: { intents: [{ name: 'billing', examples: ['a question about my invoice'] }] },
});
