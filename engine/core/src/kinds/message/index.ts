import { defineKindRuntime } from '../kind';
import { messageStep } from './step';

export const messageKind = defineKindRuntime<'message'>({ step: messageStep });
