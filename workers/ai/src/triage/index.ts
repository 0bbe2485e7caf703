/**
 * `triage(text)`: intent (the trained model, null when out of scope), sentiment, and whether a
 * person should take over (human-only intents, the frustration assessment, unreadable scripts).
 */
import { unsupportedScript } from '../embedded';
import { analyzeSentiment } from '../embedded/sentiment';
import { assessFrustration } from '../frustration';
import { loadTriageModel, predictIntent, type TriageModel } from './model';

export {
  defaultModelPath,
  loadTriageModel,
  outOfScopeLabel,
  parseTriageModel,
  predictIntent,
  triageModelFromJson,
  triageModelToJson,
  TriageEmbeddingsError,
  TriageModelFormatError,
  wordCoverage,
  type EmbeddingRequirement,
  type IntentPrediction,
  type TriageModel,
} from './model';
export { embedderFor, embedTexts } from './embedding-inputs';

export interface TriageResult {
  /** Null when the message is out of scope (or in a script the model cannot read). */
  intent: string | null;
  confidence: number;
  outOfScope: boolean;
  sentiment: number;
  escalate: boolean;
  reasons: string[];
}

/** With the in-scope intents, most probable first (at most 5): a classify node may ask which of the top two was meant. */
export interface RankedTriageResult extends TriageResult {
  ranking: { intent: string; confidence: number }[];
}

export const humanOnlyIntents = new Set(['complaint', 'contact_human_agent']);

/** A model with embeddings needs the text's (`embedTexts`). */
export function triage(text: string, model: TriageModel = loadTriageModel(), embedding?: Float32Array): TriageResult {
  // The API and `baton triage` answer the documented fields only.
  const { ranking: _ranking, ...result } = triageRanked(text, model, embedding);
  return result;
}

export function triageRanked(
  text: string,
  model: TriageModel = loadTriageModel(),
  embedding?: Float32Array,
): RankedTriageResult {
  const intent = predictIntent(model, text, embedding);
  const reasons: string[] = [];
  // The model reads English: its guess on another script means nothing, and the bot cannot help, a person may.
  const script = unsupportedScript(text);
  if (script) reasons.push(`not in a supported language (${script} script)`);
  if (intent.intent !== null && humanOnlyIntents.has(intent.intent))
    reasons.push(`intent ${intent.intent} is human-only`);
  const frustration = assessFrustration(text);
  if (frustration.escalate) reasons.push(...frustration.reasons);
  return {
    intent: script ? null : intent.intent,
    confidence: script ? 0 : Math.round(intent.probability * 1000) / 1000,
    outOfScope: script ? true : intent.outOfScope,
    sentiment: analyzeSentiment(text).score,
    escalate: reasons.length > 0,
    reasons,
    ranking: script
      ? []
      : intent.ranked.map((item) => ({
          intent: item.label,
          confidence: Math.round(item.probability * 1000) / 1000,
        })),
  };
}
