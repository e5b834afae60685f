// The live pipeline's front door: the service and what its callers need to name. The steps and
// parts behind it (hub, write-behind, sessions, alerts, ingest protocol) stay inside live/.
export { CLOSE_ACCESS_REVOKED } from './access-watch.ts';
export { hideUnknownAcknowledgers } from './acknowledger-visibility.ts';
export type { LiveSocket, ViewTarget } from './hub.ts';
export * from './list-alerts.ts';
export type { LiveSource } from './live-sessions.ts';
export {
  deriveLiveProfile,
  type LiveProfile,
  publishProfileChanged,
  subscribeProfileChanged,
} from './profile.ts';
export { isTeamMember, teamExists } from './queries.ts';
export * from './service.ts';
