import { defineKindRuntime } from '../kind';
import { askStep } from './step';

export const askKind = defineKindRuntime<'ask'>({ step: askStep });
