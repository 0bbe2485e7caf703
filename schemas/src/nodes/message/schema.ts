import { z } from 'zod';
import { Template } from '../../common';
import { defineNodeKind } from '../kind';
import { messageForm } from './form';

export const MessageData = z
  .object({
    label: z.string().max(200).optional(),
    text: Template.min(1, 'a message needs text'),
  })
  .strict();

export const messageNode = defineNodeKind({
  kind: 'message',
  title: 'Message',
  description: 'The bot says a templated message, e.g. "Hi {{customer.name}}".',
  data: MessageData,
  form: messageForm,
  waits: false,
  handles: () => ['next'],
  requiredHandles: () => ['next'],
});
