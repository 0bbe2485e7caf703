/**
 * `@baton/ai/linear`: a small dependency-free linear text classifier (hashed word and character
 * n-grams, softmax regression). Used by the triage model and anything else that needs labels from
 * short texts (two labels work too).
 */
export { defaultFeatureOptions, featurize, linearWords, type FeatureOptions, type SparseVector } from './features';
export {
  defaultLinearOptions,
  linearProbabilities,
  predictLinear,
  seededRandom,
  shuffle,
  trainLinear,
  type LinearExample,
  type LinearModel,
  type LinearOptions,
  type LinearPrediction,
} from './train';
export { LinearFormatError, linearFormatVersion, parseLinear, serializeLinear } from './serialize';
