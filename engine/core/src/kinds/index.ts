import type { NodeKind } from '@baton/schemas';
import type { KindRuntime } from './kind';
import { activityKind } from './activity';
import { answerKind } from './answer';
import { askKind } from './ask';
import { classifyKind } from './classify';
import { conditionKind } from './condition';
import { endKind } from './end';
import { followupKind } from './followup';
import { handoffKind } from './handoff';
import { messageKind } from './message';
import { setKind } from './set';
import { startKind } from './start';
import { waitKind } from './wait';

/**
 * The engine's registry of node kinds, one line per kind (the mapped type makes a missing kind a
 * type error). Its contract half is `nodeKinds` in @baton/schemas; see CONTRIBUTING.md.
 */
export const kindRuntimes: { [K in NodeKind]: KindRuntime<K> } = {
  start: startKind,
  message: messageKind,
  ask: askKind,
  classify: classifyKind,
  answer: answerKind,
  condition: conditionKind,
  activity: activityKind,
  handoff: handoffKind,
  wait: waitKind,
  set: setKind,
  followup: followupKind,
  end: endKind,
};

export * from './kind';
export { readClassification } from './classify/step';
