import { defineKindRuntime } from '../kind';
import { setStep } from './step';

export const setKind = defineKindRuntime<'set'>({ step: setStep });
