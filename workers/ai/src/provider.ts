/** One intent the classifier may choose, with the example phrases the designer gave it. */
export interface IntentExamples {
  name: string;
  examples: readonly string[];
  /** The designer's hint for a model (the OpenAI-compatible provider sends it). */
  description?: string;
  /** Intents of the trained triage model this intent stands for (the embedded provider; see schemas/src/nodes/classify/README.md). */
  modelIntents?: readonly string[];
  /** Messages agents corrected to this intent (MongoDB `intent_corrections`): labelled examples that win when close. */
  corrections?: readonly string[];
}

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface Classification {
  /** The most likely declared intent, or null when nothing fits at all. */
  intent: string | null;
  /** 0 … 1: how sure the provider is of `intent` (the journey compares it with the node's minConfidence). */
  confidence: number;
  sentiment: {
    /** −1 (angry) … 1 (happy). */
    score: number;
    label: SentimentLabel;
  };
  /** Why, in words: the closest example, the runner-up, the words and phrases that moved the sentiment. */
  reasons: string[];
  /** The best few intents with their confidences, best first (a node asks "A or B?" when the top two are close). */
  ranking?: RankedIntent[];
}

export interface RankedIntent {
  intent: string;
  confidence: number;
}

export interface TranscriptLine {
  from: string;
  text: string;
}

/**
 * The AI behind Baton: the embedded, offline provider by default; an OpenAI-compatible endpoint
 * when configured. Callers put a timeout around every call and fall back when it fails.
 */
export interface AiProvider {
  readonly name: string;
  classify(text: string, intents: readonly IntentExamples[]): Promise<Classification>;
  /**
   * A short summary of a conversation for the agent who takes it over. `timeoutMs` is the caller's
   * limit for this call (the handoff's BATON_AI_SUMMARY_TIMEOUT_MS), when it differs from the provider's own.
   */
  summarize(transcript: readonly TranscriptLine[], options?: { timeoutMs?: number }): Promise<string>;
  /**
   * Answers an agent's question from knowledge-base passages (retrieval is done by the caller, best
   * passage first): a short answer and a reply to the customer. Optional: the inbox falls back to
   * the embedded provider's extractive answer when a provider has none.
   */
  answer?(question: string, passages: readonly KbPassage[], context: { customerName?: string }): Promise<KbAnswer>;
}

/** A knowledge-base article found for a question. */
export interface KbPassage {
  articleId: string;
  title: string;
  body: string;
}

export interface KbAnswer {
  /** For the agent; null when the passages do not answer the question. */
  answer: string | null;
  /** A reply the agent may send to the customer, or edit first. */
  suggestedReply: string | null;
  /** The article the answer rests on. */
  basedOn: string | null;
}

/** The sentiment label of a score, with the thresholds the interpreter uses (core/steps/classify.ts). */
export function sentimentLabel(score: number): SentimentLabel {
  if (score <= -0.25) return 'negative';
  if (score >= 0.25) return 'positive';
  return 'neutral';
}
