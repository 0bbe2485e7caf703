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
  TriageModelFormatError,
  wordCoverage,
  type IntentPrediction,
  type TriageModel,
} from './model';

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

export function triage(text: string, model: TriageModel = loadTriageModel()): TriageResult {
  // The API and `baton triage` answer the documented fields only.
  const { ranking: _ranking, ...result } = triageRanked(text, model);
  return result;
}

export function triageRanked(text: string, model: TriageModel = loadTriageModel()): RankedTriageResult {
  const intent = predictIntent(model, text);
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
