import { startNode } from './start/schema';
import { messageNode } from './message/schema';
import { askNode } from './ask/schema';
import { classifyNode } from './classify/schema';
import { answerNode } from './answer/schema';
import { conditionNode } from './condition/schema';
import { activityNode } from './activity/schema';
import { handoffNode } from './handoff/schema';
import { waitNode } from './wait/schema';
import { setNode } from './set/schema';
import { followupNode } from './followup/schema';
import { endNode } from './end/schema';

export * from './kind';
export * from './form';
export { schemaDefaults } from './defaults';
export { StartData } from './start/schema';
export { MessageData } from './message/schema';
export { AskData } from './ask/schema';
export {
  ClassifyData,
  IntentDeclaration,
  IntentRoute,
  ModelIntentName,
  TriageModelIntent,
  TriageModelName,
  TriageModelRef,
  maxRoutedModelIntents,
  triageModelIntents,
} from './classify/schema';
export { AnswerData, AnswerConfirm } from './answer/schema';
export { ConditionData, ConditionRule } from './condition/schema';
export { ActivityData } from './activity/schema';
export { HandoffData, Priority } from './handoff/schema';
export { WaitData } from './wait/schema';
export { SetData } from './set/schema';
export { FollowupData } from './followup/schema';
export { EndData, Outcome } from './end/schema';

/** Every node kind, in palette order. */
export const nodeKinds = {
  start: startNode,
  message: messageNode,
  ask: askNode,
  classify: classifyNode,
  answer: answerNode,
  condition: conditionNode,
  activity: activityNode,
  handoff: handoffNode,
  wait: waitNode,
  set: setNode,
  followup: followupNode,
  end: endNode,
} as const;

export type NodeKinds = typeof nodeKinds;
export type NodeKind = keyof NodeKinds;
export const nodeKindNames = Object.keys(nodeKinds) as NodeKind[];

export function isNodeKind(value: string): value is NodeKind {
  return Object.prototype.hasOwnProperty.call(nodeKinds, value);
}
