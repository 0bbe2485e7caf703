import { z } from 'zod';
import { Seconds } from '../../common';
import { defineNodeKind } from '../kind';
import { waitForm } from './form';

export const WaitData = z.object({ label: z.string().max(200).optional(), seconds: Seconds }).strict();

export const waitNode = defineNodeKind({
  kind: 'wait',
  title: 'Wait',
  description: 'A durable timer.',
  data: WaitData,
  form: waitForm,
  waits: true,
  handles: () => ['next'],
  requiredHandles: () => ['next'],
});
