import { defineKindRuntime } from '../kind';
import { activityCompiledData, checkActivity } from './compile';
import { activityStep } from './step';

export const activityKind = defineKindRuntime<'activity'>({
  step: activityStep,
  check: checkActivity,
  compiledData: activityCompiledData,
});
