import { builtinActivityNames } from '@baton/schemas/builtin-activity-names';
import type { CompiledNodeOfKind, Run, Transition } from '../../interpreter/run';

const retry = { maximumAttempts: 2, initialIntervalSeconds: 1, backoffCoefficient: 2, maximumIntervalSeconds: 5 };

/**
 * The node's `baton.classify` call on `text`: with its model (pinned when published), or with its
 * declared intents and their example phrases; `only` keeps just those intents (a clarifying reply is
 * classified between the two offered).
 */
export function classifyCall(
  run: Run,
  node: CompiledNodeOfKind<'classify'>,
  text: string,
  only?: readonly string[],
): Transition {
  const { model } = node.data;
  const options = { timeoutSeconds: node.data.timeoutSeconds, retry, local: true };
  if (model) {
    // The version is pinned when the journey is published; a draft run asks for the newest.
    return run.call(
      node.id,
      builtinActivityNames.classify,
      {
        text,
        model: { name: model.name, ...(model.version !== undefined && { version: model.version }) },
        journeyId: run.journey.id,
      },
      options,
      'classify',
    );
  }
  const intents = node.data.intents
    .filter((intent) => only === undefined || only.includes(intent.name))
    .map((intent) => ({
      name: intent.name,
      examples: intent.examples,
      ...(intent.description !== undefined && { description: intent.description }),
      ...(intent.modelIntents && { modelIntents: intent.modelIntents }),
    }));
  return run.call(
    node.id,
    builtinActivityNames.classify,
    { text, intents, minConfidence: node.data.minConfidence, journeyId: run.journey.id },
    options,
    'classify',
  );
}
