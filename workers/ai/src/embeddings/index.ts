/**
 * `@baton/ai/embeddings`: sentence embeddings (all-MiniLM-L6-v2, quantised) for the opt-in embedding
 * triage. Importing this module does not load onnxruntime-node; the first `loadEmbedder` does.
 */
export {
  cosine,
  EmbeddingModelMissingError,
  embeddingsDir,
  embeddingsDirEnv,
  findEmbeddingFiles,
  loadEmbedder,
  minilmDimensions,
  minilmModelId,
  sharedEmbedder,
  type Embedder,
  type EmbedderOptions,
  type EmbeddingFiles,
} from './embedder';
export { TokenizerError, wordPieceTokenizer, type WordPieceTokenizer } from './tokenizer';
