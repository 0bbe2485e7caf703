import { defineKindRuntime } from '../kind';
import { startStep } from './step';

export const startKind = defineKindRuntime<'start'>({ step: startStep });
