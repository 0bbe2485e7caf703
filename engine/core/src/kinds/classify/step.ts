import type { JsonValue } from '@baton/schemas';
import { builtinActivityNames } from '@baton/schemas/builtin-activity-names';
import type { NodeStep, Run } from '../../interpreter/run';
import type { Sentiment } from '../../interpreter/types';

export interface Classification {
  intent: string | null;
  confidence: number;
  sentiment: Sentiment;
}

/** Reads an AI answer defensively: a model may answer anything, and anything odd counts as no answer. */
export function readClassification(output: JsonValue, declared: readonly string[]): Classification | null {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return null;
  const confidence =
    typeof output.confidence === 'number' && Number.isFinite(output.confidence)
      ? Math.min(1, Math.max(0, output.confidence))
      : 0;
  const intent = typeof output.intent === 'string' && declared.includes(output.intent) ? output.intent : null;
  const rawSentiment = output.sentiment;
  let score = 0;
  if (
    rawSentiment &&
    typeof rawSentiment === 'object' &&
    !Array.isArray(rawSentiment) &&
    typeof rawSentiment.score === 'number' &&
    Number.isFinite(rawSentiment.score)
  ) {
    score = Math.min(1, Math.max(-1, rawSentiment.score));
  }
  const label: Sentiment['label'] = score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral';
  return { intent, confidence, sentiment: { score, label } };
}

/** The provider's first reason, briefly, for the agent reading the steps tried (why the bot was unsure). */
function firstReason(output: JsonValue): string | undefined {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return undefined;
  const reasons = output.reasons;
  if (!Array.isArray(reasons)) return undefined;
  const first = reasons.find((reason): reason is string => typeof reason === 'string' && reason !== '');
  return first === undefined ? undefined : first.length > 160 ? `${first.slice(0, 159)}…` : first;
}

function recordSentiment(run: Run, sentiment: Sentiment) {
  const history = [...run.state.sentiment.history, sentiment.score].slice(-50);
  run.state.sentiment = { ...sentiment, history };
}

export const classifyStep: NodeStep<'classify'> = {
  enter(run, node) {
    const text = run.render(node.data.input);
    const intents = node.data.intents.map((intent) => ({
      name: intent.name,
      examples: intent.examples,
      ...(intent.description !== undefined && { description: intent.description }),
      ...(intent.modelIntents && { modelIntents: intent.modelIntents }),
    }));
    return run.call(
      node.id,
      builtinActivityNames.classify,
      { text, intents, minConfidence: node.data.minConfidence, journeyId: run.journey.id },
      {
        timeoutSeconds: node.data.timeoutSeconds,
        retry: { maximumAttempts: 2, initialIntervalSeconds: 1, backoffCoefficient: 2, maximumIntervalSeconds: 5 },
        local: true,
      },
      'classify',
    );
  },
  resume(run, node, event) {
    if (event.type !== 'activity_result') return undefined;
    const names = node.data.intents.map((intent) => intent.name);
    const result = event.ok ? readClassification(event.output, names) : null;
    if (!result) {
      // A failing model never strands a customer: the designer's fallback path takes over.
      run.state.counters.failures += 1;
      run.note(event.ok ? 'the AI answered outside the declared intents' : `the AI failed: ${event.error}`);
      return { go: 'fallback' };
    }
    recordSentiment(run, result.sentiment);
    run.state.intent = result.intent ? { name: result.intent, confidence: result.confidence } : null;
    if (node.data.variable) {
      run.state.vars[node.data.variable] = {
        intent: result.intent,
        confidence: result.confidence,
        sentiment: result.sentiment.score,
      };
    }
    if (result.intent && result.confidence >= node.data.minConfidence) {
      // The node that first heard the need keeps it up to date (the customer may restate it there).
      if (!run.state.need || run.state.need.nodeId === node.id)
        run.state.need = { name: result.intent, confidence: result.confidence, nodeId: node.id };
      run.note(`intent ${result.intent} (${result.confidence.toFixed(2)})`);
      return { go: result.intent };
    }
    run.state.counters.lowConfidence += 1;
    const why = event.ok ? firstReason(event.output) : undefined;
    run.note(`no confident intent (${result.confidence.toFixed(2)})${why ? `: ${why}` : ''}`);
    return { go: 'fallback' };
  },
};
