import type { NodeKind } from '@baton/schemas';
import type { NodeStep } from '../run';
import { activityStep } from './activity';
import { askStep } from './ask';
import { classifyStep } from './classify';
import { conditionStep } from './condition';
import { endStep } from './end';
import { followupStep } from './followup';
import { handoffStep } from './handoff';
import { messageStep } from './message';
import { setStep } from './set';
import { startStep } from './start';
import { waitStep } from './wait';

export const steps: { [K in NodeKind]: NodeStep<K> } = {
  start: startStep,
  message: messageStep,
  ask: askStep,
  classify: classifyStep,
  condition: conditionStep,
  activity: activityStep,
  handoff: handoffStep,
  wait: waitStep,
  set: setStep,
  followup: followupStep,
  end: endStep,
};

export { readClassification } from './classify';
