import { defineKindRuntime } from '../kind';
import { waitStep } from './step';

export const waitKind = defineKindRuntime<'wait'>({ step: waitStep });
