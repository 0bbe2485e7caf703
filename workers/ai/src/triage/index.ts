/** `triage(text)`: intent (trained model), sentiment (the embedded provider's AFINN + frustration phrases), escalation. */
import { createEmbeddedProvider, unsupportedScript } from '../embedded';
import { loadTriageModel, predictNb, triageTokens, type TriageModel } from './model';

export { loadTriageModel, triageTokens, type TriageModel } from './model';

export interface TriageResult {
  intent: string;
  confidence: number;
  sentiment: number;
  escalate: boolean;
  reasons: string[];
}

export const humanOnlyIntents = new Set(['complaint', 'contact_human_agent']);
/** Sentiment at or below this escalates. */
export const sentimentThreshold = -0.5;
const lexicons = new WeakMap<TriageModel, Set<string>>();
function offensiveLexicon(model: TriageModel): Set<string> {
  let set = lexicons.get(model);
  if (!set) {
    set = new Set(model.offensiveWords);
    lexicons.set(model, set);
  }
  return set;
}

const provider = createEmbeddedProvider();

export function triage(text: string, model: TriageModel = loadTriageModel()): TriageResult {
  const tokens = triageTokens(text);
  const intent = predictNb(model.intent, tokens);
  const offensiveWords = offensiveLexicon(model);
  const rude = [...new Set(tokens.filter((token) => offensiveWords.has(token)))];
  const mood = provider.analyzeSentiment(text);
  const reasons: string[] = [];
  // The model reads English: its guess on another script means nothing, and the bot cannot help, a person may.
  const script = unsupportedScript(text);
  if (script) reasons.push(`not in a supported language (${script} script)`);
  if (humanOnlyIntents.has(intent.label)) reasons.push(`intent ${intent.label} is human-only`);
  if (rude.length > 0) {
    reasons.push(`offensive language: ${rude.join(', ')}`);
  }
  if (mood.score <= sentimentThreshold) reasons.push(`strong negative sentiment (${mood.score})`);
  for (const reason of mood.reasons) if (reason.startsWith('frustration')) reasons.push(reason);
  return {
    intent: intent.label,
    confidence: script ? 0 : Math.round(intent.probability * 1000) / 1000,
    sentiment: mood.score,
    escalate: reasons.length > 0,
    reasons,
  };
}
