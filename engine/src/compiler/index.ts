export { compileJourney, type CompileOptions, type CompileResult } from './compile';
export { canonicalJson, contentHash, sortKeys } from './canonical';
