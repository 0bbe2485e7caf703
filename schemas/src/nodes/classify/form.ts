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
      label: 'Intents (one output handle each, plus fallback; none when a model classifies)',
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
      key: 'model',
      label: 'Triage model',
      help: 'A model published with `baton triage publish`, in place of example phrases. Publishing the journey pins its newest version.',
      control: 'object',
      optional: true,
      newValue: { name: 'support' },
      fields: [
        { key: 'name', label: 'model name', control: 'text', placeholder: 'banking' },
        {
          key: 'version',
          label: 'version',
          help: 'Empty: the newest when the journey is published.',
          control: 'number',
          min: 1,
          step: 1,
        },
        {
          key: 'minConfidence',
          label: 'minimum confidence',
          help: "Optional bar over the model's own out-of-scope decision.",
          control: 'number',
          min: 0,
          max: 1,
          step: 0.05,
        },
      ],
    },
    {
      key: 'routes',
      label: 'Routes (model intents per handle; the rest leave by "other", out of scope by "fallback")',
      control: 'list',
      itemLabel: 'route',
      newItem: { handle: 'route', intents: [] },
      fields: [
        { key: 'handle', label: 'handle', help: 'The output handle these intents leave by.', control: 'text' },
        { key: 'intents', label: 'model intents', help: 'One model intent per line.', control: 'strings' },
      ],
    },
    {
      key: 'minConfidence',
      label: 'Minimum confidence (0–1)',
      help: 'Below this confidence the conversation takes "fallback" (example-phrase intents; a model uses its own).',
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
