import { defineKindRuntime } from '../kind';
import { conditionStep } from './step';

export const conditionKind = defineKindRuntime<'condition'>({ step: conditionStep });
