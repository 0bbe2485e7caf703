import { builtinActivityNames, type JsonValue } from '@baton/schemas';
import { createEmbeddedProvider } from '@baton/ai';
import { fieldProblems, type ActivityDefinition } from '@baton/activity-sdk';
import {
  ActivityUnavailableError,
  scriptedAnswer,
  type ActivityContract,
  type ActivityRunner,
} from '@baton/core/simulator';
import type { KbIndex } from '@baton/ai/kb';
import { answerFromKb } from './kb-answer';

/** The part of the AI provider the simulator needs. */
export interface Classifier {
  classify(
    text: string,
    intents: { name: string; examples: string[]; description?: string; modelIntents?: string[] }[],
  ): Promise<unknown> | unknown;
}

function intentsOf(
  value: JsonValue | undefined,
): { name: string; examples: string[]; description?: string; modelIntents?: string[] }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item) || typeof item.name !== 'string') return [];
    const examples = Array.isArray(item.examples)
      ? item.examples.filter((e): e is string => typeof e === 'string')
      : [];
    const modelIntents = Array.isArray(item.modelIntents)
      ? item.modelIntents.filter((e): e is string => typeof e === 'string')
      : undefined;
    return [
      {
        name: item.name,
        examples,
        ...(typeof item.description === 'string' && { description: item.description }),
        ...(modelIntents && { modelIntents }),
      },
    ];
  });
}

/**
 * The activities the CLI's simulator runs itself: `baton.classify` through the embedded offline AI
 * provider (deterministic, no network), `baton.answer` from the demo knowledge base (./kb-answer.ts). Custom activities need a fake in the test: their real
 * implementations talk to servers.
 */
export function createCliActivities(
  classifier: Classifier | null,
  kb: (() => KbIndex | null) | null = null,
): ActivityRunner {
  return async (name, input) => {
    if (name === builtinActivityNames.answer) {
      const index = kb?.() ?? null;
      return index ? answerFromKb(index, input) : scriptedAnswer();
    }
    if (name === builtinActivityNames.classify) {
      const model = input.model;
      if (model && typeof model === 'object' && !Array.isArray(model) && typeof model.name === 'string')
        // Published models live in the API's store, not beside the journey.
        throw new ActivityUnavailableError(
          name,
          `the node classifies with the published triage model "${model.name}", which the simulator does not have; name the model's intent in the test with "ai" on the customer step (e.g. "ai": ["card_arrival"])`,
        );
      if (!classifier) {
        throw new ActivityUnavailableError(
          name,
          'the embedded AI provider (workers/ai/src/embedded/) is not available; fix the AI answers in the test with "ai" on the customer step',
        );
      }
      const text = typeof input.text === 'string' ? input.text : '';
      const answer = await classifier.classify(text, intentsOf(input.intents));
      return JSON.parse(JSON.stringify(answer ?? null)) as JsonValue;
    }
    throw new ActivityUnavailableError(name);
  };
}

/** The embedded AI provider of workers/ (offline, deterministic): what `baton test` and `baton simulate` classify with. */
export function loadEmbeddedClassifier(): Classifier {
  return createEmbeddedProvider();
}

function problemsText(error: Parameters<typeof fieldProblems>[0]): string {
  return fieldProblems(error)
    .map((problem) => `${problem.path}: ${problem.message}`)
    .join('; ');
}

/**
 * The contracts of the repository's activities (their zod input and output), so that the simulator
 * refuses what the worker would refuse and catches fakes that drift from the real activity.
 */
export function contractsOf(
  definitions: readonly Pick<ActivityDefinition, 'name' | 'input' | 'output'>[],
): (name: string) => ActivityContract | undefined {
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  return (name) => {
    const definition = byName.get(name);
    if (!definition) return undefined;
    return {
      input(input) {
        const parsed = definition.input.safeParse(input);
        return parsed.success ? undefined : problemsText(parsed.error);
      },
      output(output) {
        const parsed = definition.output.safeParse(output);
        return parsed.success ? undefined : problemsText(parsed.error);
      },
    };
  };
}
