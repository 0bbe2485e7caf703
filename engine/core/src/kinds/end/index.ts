import { defineKindRuntime } from '../kind';
import { endStep } from './step';

export const endKind = defineKindRuntime<'end'>({ step: endStep });
