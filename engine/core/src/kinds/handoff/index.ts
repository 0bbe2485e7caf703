import { defineKindRuntime } from '../kind';
import { handoffStep } from './step';

export const handoffKind = defineKindRuntime<'handoff'>({ step: handoffStep });
