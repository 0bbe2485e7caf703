import { z } from 'zod';
import { defineNodeKind } from '../kind';

export const StartData = z.object({ label: z.string().max(200).optional() }).strict();

export const startNode = defineNodeKind({
  kind: 'start',
  title: 'Start',
  description: 'Where every conversation enters the journey.',
  data: StartData,
  waits: false,
  handles: () => ['next'],
  requiredHandles: () => ['next'],
});
