export { buildSandbox } from './app.ts';
export type {
  GarminNotifyInput,
  SandboxControl,
  WhoopWebhookInput,
  WhoopWebhookOptions,
} from './control.ts';
export type { GarminDay } from './data/garmin-data.ts';
export { isOffNight, OFF_NIGHT_EVERY_DAYS, OFF_NIGHT_SHIFT } from './data/off-nights.ts';
export type { SandboxUser } from './data/users.ts';
export type { WhoopDataset } from './data/whoop-data.ts';
export type { DeliveryResult } from './garmin-notify.ts';
export {
  type ResolvedSandboxOptions,
  SANDBOX_GARMIN_CLIENT,
  SANDBOX_WHOOP_CLIENT,
  type SandboxClientConfig,
  type SandboxOptions,
} from './options.ts';
export type { IssuedTokens, SandboxProvider } from './state/tokens.ts';
export type { FaultSettings, ProviderStats, RateLimitSettings } from './state/traffic.ts';
