import { defineKindRuntime } from '../kind';
import { followupStep } from './step';

export const followupKind = defineKindRuntime<'followup'>({ step: followupStep });
