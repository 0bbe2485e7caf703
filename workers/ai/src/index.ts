// The AI behind one interface: providers (embedded, OpenAI-compatible), triage, the knowledge base.
// Used by the worker (activities) and the server (assist, simulator's classify); depends on neither.
export {
  sentimentLabel,
  type AiProvider,
  type Classification,
  type RankedIntent,
  type IntentExamples,
  type KbAnswer,
  type KbPassage,
  type SentimentLabel,
  type TranscriptLine,
} from './provider';
export { EmbeddedAiProvider, createEmbeddedProvider, type EmbeddedProviderOptions } from './embedded';
export {
  OpenAiProvider,
  AiProviderError,
  defaultMaxTokens,
  type OpenAiProviderOptions,
  type ProviderCall,
} from './openai';
export { combineSentiment, type LocalSentiment } from './openai-sentiment';
export { aiProviderFromEnv, readAiEnvironment, AiConfigError } from './config';
export { redact, redactPersonalData } from './redact';
export { settleClassification } from './settle';
