import { z } from 'zod';
import { defineNodeKind } from '../kind';
import { startForm } from './form';

export const StartData = z.object({ label: z.string().max(200).optional() }).strict();

export const startNode = defineNodeKind({
  kind: 'start',
  title: 'Start',
  description: 'Where every conversation enters the journey.',
  data: StartData,
  form: startForm,
  waits: false,
  handles: () => ['next'],
  requiredHandles: () => ['next'],
});
