/**
 * The names of Baton's built-in activities. A module of its own, without zod, so that the interpreter
 * (bundled into the Temporal workflow sandbox) imports them as `@baton/schemas/builtin-activity-names`
 * without the rest of the contracts; ./builtin-activities.ts has their input and output schemas.
 */
export const builtinActivityNames = {
  classify: 'baton.classify',
  openTicket: 'baton.openTicket',
  sendTranscript: 'baton.sendTranscript',
  recordSurvey: 'baton.recordSurvey',
  finishConversation: 'baton.finishConversation',
  saveConversation: 'baton.saveConversation',
  routeTicket: 'baton.routeTicket',
  slaEscalate: 'baton.slaEscalate',
  releaseAgent: 'baton.releaseAgent',
  reopenTicket: 'baton.reopenTicket',
  followupCheck: 'baton.followupCheck',
  answer: 'baton.answer',
} as const;
export type BuiltinActivityName = (typeof builtinActivityNames)[keyof typeof builtinActivityNames];

const builtinNameSet: ReadonlySet<string> = new Set(Object.values(builtinActivityNames));
export function isBuiltinActivityName(name: string): name is BuiltinActivityName {
  return builtinNameSet.has(name);
}
