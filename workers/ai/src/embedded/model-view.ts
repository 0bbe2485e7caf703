// The trained triage model's view of a message, for the declared intents mapped to its labels.
import type { IntentExamples } from '../provider';
import { linearProbabilities, linearWords } from '../linear';
import { loadTriageModel, wordCoverage, type TriageModel } from '../triage/model';

let triageModel: TriageModel | undefined;

/**
 * The trained triage model's view: per declared intent, the probability mass of the model intents it
 * stands for (`modelIntents`, or its own name when that is a model intent), scaled by how much of
 * the message the model's vocabulary covers, so that off-domain text is not confidently anything.
 * Null when no declared intent maps to the model.
 */
export function modelView(
  text: string,
  intents: readonly IntentExamples[],
): { masses: Map<string, { mass: number; top: string }>; coverage: number } | null {
  triageModel ??= loadTriageModel();
  const model = triageModel;
  const labels = new Set(model.intent.labels);
  const mapped = intents
    .map((intent) => ({
      name: intent.name,
      labels: (intent.modelIntents ?? [intent.name]).filter((label) => labels.has(label)),
    }))
    .filter((intent) => intent.labels.length > 0);
  if (mapped.length === 0) return null;
  if (linearWords(text).every((word) => word === '#num')) return null;
  const coverage = wordCoverage(model, text);
  const scale = Math.min(1, coverage / 0.6);
  const posterior = linearProbabilities(model.intent, text);
  const byLabel = new Map(model.intent.labels.map((label, index) => [label, posterior[index] ?? 0]));
  const masses = new Map<string, { mass: number; top: string }>();
  for (const intent of mapped) {
    let mass = 0;
    let top = intent.labels[0] as string;
    for (const label of intent.labels) {
      mass += byLabel.get(label) ?? 0;
      if ((byLabel.get(label) ?? 0) > (byLabel.get(top) ?? 0)) top = label;
    }
    masses.set(intent.name, { mass: mass * scale, top });
  }
  return { masses, coverage };
}
