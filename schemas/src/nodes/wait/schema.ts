import { z } from 'zod';
import { Seconds } from '../../common';
import { defineNodeKind } from '../kind';

export const WaitData = z.object({ label: z.string().max(200).optional(), seconds: Seconds }).strict();

export const waitNode = defineNodeKind({
  kind: 'wait',
  title: 'Wait',
  description: 'A durable timer.',
  data: WaitData,
  waits: true,
  handles: () => ['next'],
  requiredHandles: () => ['next'],
});
