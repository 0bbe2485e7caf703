import { defineKindRuntime } from '../kind';
import { classifyStep } from './step';

export const classifyKind = defineKindRuntime<'classify'>({ step: classifyStep });
