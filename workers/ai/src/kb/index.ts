/**
 * The knowledge base: retrieval over the articles (./search.ts), the customer answer of the `answer`
 * node (./answer.ts) and the calibrated relevance (./relevance.ts).
 */
export * from './search';
export { answerCustomer, passageFor, type CustomerAnswer, type CustomerAnswerInput } from './answer';
export { relevanceModel } from './relevance';
