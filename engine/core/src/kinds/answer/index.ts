import { defineKindRuntime } from '../kind';
import { answerStep } from './step';

export const answerKind = defineKindRuntime<'answer'>({ step: answerStep });
