export { BackgroundWork, createApp, type ApiOptions } from './app';
export { HttpProblem } from './problem';
export { startApi, apiConfigFromEnv, type ApiConfig, type RunningApi } from './runtime';
