export { createApp, type ApiOptions } from './app';
export { BackgroundWork } from './background';
export { HttpProblem } from './problem';
export { pinTriageModels } from './routes/triage-models';
export { startApi, apiConfigFromEnv, type ApiConfig, type RunningApi } from './runtime';
export {
  identityOptionsFromEnv,
  signIdentityToken,
  verifyIdentityToken,
  type IdentityOptions,
  type IdentityPayload,
} from './identity';
export { trustProxyFromEnv, type TrustProxy } from './middleware/client-address';
export { ensureRetentionSchedule, type RetentionScheduleOptions } from './retention-schedule';
