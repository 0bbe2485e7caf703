export { createApp, type ApiOptions } from './app';
export { HttpProblem } from './problem';
