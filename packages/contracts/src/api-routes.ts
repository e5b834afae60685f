import { z } from 'zod';
import {
  adminUserResponseSchema,
  adminUsersQuerySchema,
  adminUsersResponseSchema,
  outboxResponseSchema,
} from './admin.ts';
import {
  analyticsDateQuerySchema,
  analyticsRangeQuerySchema,
  athleteReadinessResponseSchema,
  confirmThresholdBodySchema,
  loadSettingsBodySchema,
  loadSettingsResponseSchema,
  readinessCheckBodySchema,
  readinessCheckResponseSchema,
  readinessSeriesResponseSchema,
  readinessThresholdSchema,
  sessionComparisonResponseSchema,
  teamReadinessResponseSchema,
  thresholdOverrideResponseSchema,
  thresholdOverridesResponseSchema,
  trainingLoadResponseSchema,
} from './analytics.ts';
import {
  authResponseSchema,
  changeEmailBodySchema,
  changeEmailResponseSchema,
  changePasswordBodySchema,
  completeSignupBodySchema,
  confirmEmailBodySchema,
  confirmEmailResponseSchema,
  deleteAccountBodySchema,
  forgotPasswordBodySchema,
  forgotPasswordResponseSchema,
  loginBodySchema,
  okResponseSchema,
  registerBodySchema,
  resetPasswordBodySchema,
  signupPendingResponseSchema,
  updateAccountBodySchema,
} from './auth.ts';
import { dateRangeQuerySchema, publicConfigSchema } from './common.ts';
import {
  createDeviceBodySchema,
  createDeviceResponseSchema,
  deviceResponseSchema,
  devicesResponseSchema,
} from './devices.ts';
import {
  bulkImportResponseSchema,
  failedJobsQuerySchema,
  failedJobsResponseSchema,
  importResponseSchema,
  integrationsResponseSchema,
  jobRetryResponseSchema,
  syncRequestResponseSchema,
} from './integrations.ts';
import { accountExportResponseSchema, backgroundWorkResponseSchema } from './jobs.ts';
import {
  dailyResponseSchema,
  ingestResponseSchema,
  samplesQuerySchema,
  samplesResponseSchema,
  sessionResponseSchema,
  sessionsQuerySchema,
  sessionsResponseSchema,
} from './live.ts';
import { noteBodySchema, noteResponseSchema, notesResponseSchema } from './notes.ts';
import {
  athletePlansResponseSchema,
  calendarFeedResponseSchema,
  planBodySchema,
  planPatchSchema,
  planRangeQuerySchema,
  planResponseSchema,
  teamPlansResponseSchema,
} from './plans.ts';
import {
  meResponseSchema,
  preferencesResponseSchema,
  preferencesUpdateBodySchema,
  profileResponseSchema,
  profileSummaryResponseSchema,
  profileUpdateBodySchema,
} from './profile.ts';
import {
  alertResponseSchema,
  alertsQuerySchema,
  alertsResponseSchema,
  athleteLiveResponseSchema,
  ingestRequestSchema,
  manualSessionBodySchema,
  manualSessionPatchBodySchema,
  sessionEnvelopeSchema,
  sessionPatchBodySchema,
  startSessionBodySchema,
  teamAlertsQuerySchema,
} from './sessions.ts';
import {
  teamSessionEndResponseSchema,
  teamSessionListResponseSchema,
  teamSessionResponseSchema,
  teamSessionReviewResponseSchema,
  teamSessionStartBodySchema,
} from './team-sessions.ts';
import {
  acceptInviteBodySchema,
  createInviteBodySchema,
  createTeamBodySchema,
  invitePreviewResponseSchema,
  inviteResponseSchema,
  membershipResponseSchema,
  pendingInvitesResponseSchema,
  teamAlertDefaultsBodySchema,
  teamAlertDefaultsResponseSchema,
  teamAthletesResponseSchema,
  teamResponseSchema,
  teamsResponseSchema,
  updateConsentBodySchema,
} from './teams.ts';
import {
  sessionRpeBodySchema,
  sessionRpeResponseSchema,
  srpeSeriesResponseSchema,
  wellnessAnswersSchema,
  wellnessEntryResponseSchema,
  wellnessListResponseSchema,
} from './wellness.ts';

/**
 * Every JSON route of the REST API with the zod schemas it is registered with: its success
 * status, the response at that status (null: no body), and the body and query it reads. The
 * web's client is typed and checked by this table; apps/api/test/contract/api-routes.test.ts
 * proves each entry is the very schema the route registers, and that no JSON route is missing.
 * Downloads, redirects and provider webhooks are not in it (no JSON for the web to read).
 */
export const API_ROUTES = {
  'GET /api/v1/admin/users': {
    status: 200,
    response: adminUsersResponseSchema,
    query: adminUsersQuerySchema,
  },
  'POST /api/v1/admin/users/:id/disable': { status: 200, response: adminUserResponseSchema },
  'POST /api/v1/admin/users/:id/enable': { status: 200, response: adminUserResponseSchema },
  'GET /api/v1/admin/outbox': { status: 200, response: outboxResponseSchema },
  'GET /api/v1/admin/jobs/failed': {
    status: 200,
    response: failedJobsResponseSchema,
    query: failedJobsQuerySchema,
  },
  'POST /api/v1/admin/jobs/:id/retry': { status: 202, response: jobRetryResponseSchema },
  'POST /api/v1/alerts/:id/ack': { status: 200, response: alertResponseSchema },
  'GET /api/v1/athletes/:athleteId/alerts': {
    status: 200,
    response: alertsResponseSchema,
    query: alertsQuerySchema,
  },
  'GET /api/v1/athletes/:athleteId/daily': {
    status: 200,
    response: dailyResponseSchema,
    query: dateRangeQuerySchema,
  },
  'GET /api/v1/athletes/:athleteId/days/:date/notes': { status: 200, response: notesResponseSchema },
  'POST /api/v1/athletes/:athleteId/days/:date/notes': {
    status: 201,
    response: noteResponseSchema,
    body: noteBodySchema,
  },
  'GET /api/v1/athletes/:athleteId/live': { status: 200, response: athleteLiveResponseSchema },
  'GET /api/v1/athletes/:athleteId/load': {
    status: 200,
    response: trainingLoadResponseSchema,
    query: analyticsRangeQuerySchema,
  },
  'PUT /api/v1/athletes/:athleteId/load/settings': {
    status: 200,
    response: loadSettingsResponseSchema,
    body: loadSettingsBodySchema,
  },
  'GET /api/v1/athletes/:athleteId/plans': {
    status: 200,
    response: athletePlansResponseSchema,
    query: planRangeQuerySchema,
  },
  'GET /api/v1/athletes/:athleteId/profile': { status: 200, response: profileSummaryResponseSchema },
  'GET /api/v1/athletes/:athleteId/readiness': {
    status: 200,
    response: athleteReadinessResponseSchema,
    query: analyticsDateQuerySchema,
  },
  'GET /api/v1/athletes/:athleteId/readiness/series': {
    status: 200,
    response: readinessSeriesResponseSchema,
    query: analyticsRangeQuerySchema,
  },
  'POST /api/v1/athletes/:athleteId/readiness/checks': {
    status: 201,
    response: readinessCheckResponseSchema,
    body: readinessCheckBodySchema,
  },
  'GET /api/v1/athletes/:athleteId/readiness/threshold': {
    status: 200,
    response: readinessThresholdSchema,
    query: analyticsDateQuerySchema,
  },
  'POST /api/v1/athletes/:athleteId/readiness/threshold': {
    status: 201,
    response: thresholdOverrideResponseSchema,
    body: confirmThresholdBodySchema,
  },
  'GET /api/v1/athletes/:athleteId/readiness/threshold/log': {
    status: 200,
    response: thresholdOverridesResponseSchema,
  },
  'GET /api/v1/athletes/:athleteId/sessions': {
    status: 200,
    response: sessionsResponseSchema,
    query: sessionsQuerySchema,
  },
  'GET /api/v1/athletes/:athleteId/srpe': {
    status: 200,
    response: srpeSeriesResponseSchema,
    query: dateRangeQuerySchema,
  },
  'GET /api/v1/athletes/:athleteId/wellness': {
    status: 200,
    response: wellnessListResponseSchema,
    query: dateRangeQuerySchema,
  },
  // Signed in at once (201), or with sign-up by emailed link a mail to follow (202).
  'POST /api/v1/auth/register': {
    status: [201, 202],
    response: z.union([authResponseSchema, signupPendingResponseSchema]),
    body: registerBodySchema,
  },
  'POST /api/v1/auth/complete-signup': {
    status: 201,
    response: authResponseSchema,
    body: completeSignupBodySchema,
  },
  'POST /api/v1/auth/login': { status: 200, response: authResponseSchema, body: loginBodySchema },
  'POST /api/v1/auth/logout': { status: 200, response: okResponseSchema },
  'POST /api/v1/auth/forgot-password': {
    status: 202,
    response: forgotPasswordResponseSchema,
    body: forgotPasswordBodySchema,
  },
  'POST /api/v1/auth/reset-password': {
    status: 200,
    response: okResponseSchema,
    body: resetPasswordBodySchema,
  },
  'POST /api/v1/auth/confirm-email': {
    status: 200,
    response: confirmEmailResponseSchema,
    body: confirmEmailBodySchema,
  },
  'GET /api/v1/config': { status: 200, response: publicConfigSchema },
  'POST /api/v1/devices': { status: 201, response: createDeviceResponseSchema, body: createDeviceBodySchema },
  'GET /api/v1/devices': { status: 200, response: devicesResponseSchema },
  'DELETE /api/v1/devices/:id': { status: 200, response: deviceResponseSchema },
  'POST /api/v1/imports': { status: 201, response: importResponseSchema },
  'POST /api/v1/imports/bulk': { status: 202, response: bulkImportResponseSchema },
  'GET /api/v1/imports/bulk/:id': { status: 200, response: bulkImportResponseSchema },
  'POST /api/v1/ingest': { status: 202, response: ingestResponseSchema, body: ingestRequestSchema },
  'GET /api/v1/integrations': { status: 200, response: integrationsResponseSchema },
  'POST /api/v1/integrations/:provider/sync': { status: 202, response: syncRequestResponseSchema },
  'DELETE /api/v1/integrations/:provider': { status: 204, response: null },
  'GET /api/v1/invites/:code': { status: 200, response: invitePreviewResponseSchema },
  'POST /api/v1/invites/:code/accept': {
    status: 200,
    response: membershipResponseSchema,
    body: acceptInviteBodySchema,
  },
  'GET /api/v1/me': { status: 200, response: meResponseSchema },
  'PATCH /api/v1/me': { status: 200, response: meResponseSchema, body: updateAccountBodySchema },
  'POST /api/v1/me/password': { status: 200, response: okResponseSchema, body: changePasswordBodySchema },
  'POST /api/v1/me/email': { status: 202, response: changeEmailResponseSchema, body: changeEmailBodySchema },
  'GET /api/v1/me/profile': { status: 200, response: profileResponseSchema },
  'PUT /api/v1/me/profile': { status: 200, response: profileResponseSchema, body: profileUpdateBodySchema },
  'PUT /api/v1/me/preferences': {
    status: 200,
    response: preferencesResponseSchema,
    body: preferencesUpdateBodySchema,
  },
  'POST /api/v1/me/exports': { status: 202, response: accountExportResponseSchema },
  'GET /api/v1/me/exports/:id': { status: 200, response: accountExportResponseSchema },
  'GET /api/v1/me/background-work': { status: 200, response: backgroundWorkResponseSchema },
  'DELETE /api/v1/me': { status: 200, response: okResponseSchema, body: deleteAccountBodySchema },
  'GET /api/v1/me/calendar-feed': { status: 200, response: calendarFeedResponseSchema },
  'POST /api/v1/me/calendar-feed': { status: 201, response: calendarFeedResponseSchema },
  'DELETE /api/v1/me/calendar-feed': { status: 200, response: calendarFeedResponseSchema },
  'PUT /api/v1/me/wellness/:date': {
    status: 200,
    response: wellnessEntryResponseSchema,
    body: wellnessAnswersSchema,
  },
  'PATCH /api/v1/plans/:id': { status: 200, response: planResponseSchema, body: planPatchSchema },
  'DELETE /api/v1/plans/:id': { status: 204, response: null },
  'POST /api/v1/sessions': { status: 201, response: sessionEnvelopeSchema, body: startSessionBodySchema },
  'POST /api/v1/sessions/:id/stop': { status: 200, response: sessionEnvelopeSchema },
  'POST /api/v1/sessions/manual': {
    status: 201,
    response: sessionEnvelopeSchema,
    body: manualSessionBodySchema,
  },
  'PATCH /api/v1/sessions/manual/:id': {
    status: 200,
    response: sessionEnvelopeSchema,
    body: manualSessionPatchBodySchema,
  },
  'DELETE /api/v1/sessions/manual/:id': { status: 204, response: null },
  'PATCH /api/v1/sessions/:id': {
    status: 200,
    response: sessionEnvelopeSchema,
    body: sessionPatchBodySchema,
  },
  'GET /api/v1/sessions/:id': { status: 200, response: sessionResponseSchema },
  'GET /api/v1/sessions/:id/samples': {
    status: 200,
    response: samplesResponseSchema,
    query: samplesQuerySchema,
  },
  'GET /api/v1/sessions/:id/comparison': { status: 200, response: sessionComparisonResponseSchema },
  'GET /api/v1/sessions/:id/notes': { status: 200, response: notesResponseSchema },
  'POST /api/v1/sessions/:id/notes': { status: 201, response: noteResponseSchema, body: noteBodySchema },
  'GET /api/v1/sessions/:id/rpe': { status: 200, response: sessionRpeResponseSchema },
  'PUT /api/v1/sessions/:id/rpe': {
    status: 200,
    response: sessionRpeResponseSchema,
    body: sessionRpeBodySchema,
  },
  'POST /api/v1/teams': { status: 201, response: teamResponseSchema, body: createTeamBodySchema },
  'GET /api/v1/teams': { status: 200, response: teamsResponseSchema },
  'GET /api/v1/teams/:id': { status: 200, response: teamResponseSchema },
  'POST /api/v1/teams/:id/invites': {
    status: 201,
    response: inviteResponseSchema,
    body: createInviteBodySchema,
  },
  'GET /api/v1/teams/:id/invites': { status: 200, response: pendingInvitesResponseSchema },
  'DELETE /api/v1/teams/:id/invites/:inviteId': { status: 200, response: okResponseSchema },
  'GET /api/v1/teams/:id/athletes': { status: 200, response: teamAthletesResponseSchema },
  'PUT /api/v1/teams/:id/consent': {
    status: 200,
    response: membershipResponseSchema,
    body: updateConsentBodySchema,
  },
  'DELETE /api/v1/teams/:id/membership': { status: 200, response: okResponseSchema },
  'DELETE /api/v1/teams/:id/athletes/:athleteId': { status: 200, response: okResponseSchema },
  'GET /api/v1/teams/:teamId/alerts': {
    status: 200,
    response: alertsResponseSchema,
    query: teamAlertsQuerySchema,
  },
  'GET /api/v1/teams/:teamId/plans': {
    status: 200,
    response: teamPlansResponseSchema,
    query: planRangeQuerySchema,
  },
  'POST /api/v1/teams/:teamId/plans': { status: 201, response: planResponseSchema, body: planBodySchema },
  'GET /api/v1/teams/:teamId/readiness': {
    status: 200,
    response: teamReadinessResponseSchema,
    query: analyticsDateQuerySchema,
  },
  'GET /api/v1/teams/:teamId/alert-defaults': { status: 200, response: teamAlertDefaultsResponseSchema },
  'PUT /api/v1/teams/:teamId/alert-defaults': {
    status: 200,
    response: teamAlertDefaultsResponseSchema,
    body: teamAlertDefaultsBodySchema,
  },
  'GET /api/v1/team-sessions/:id': { status: 200, response: teamSessionReviewResponseSchema },
  'POST /api/v1/team-sessions/:id/end': { status: 200, response: teamSessionEndResponseSchema },
  'GET /api/v1/teams/:teamId/team-sessions': { status: 200, response: teamSessionListResponseSchema },
  'POST /api/v1/teams/:teamId/team-sessions': {
    status: 201,
    response: teamSessionResponseSchema,
    body: teamSessionStartBodySchema,
  },
} as const satisfies Record<string, ApiRouteContract>;

export interface ApiRouteContract {
  /** The success status; several when the route answers one of a few shapes (`response` is then their union, in this order). */
  readonly status: number | readonly number[];
  readonly response: z.ZodType | null;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
}

/** `"METHOD /path/:param"`, as the API registers it. */
export type ApiRoute = keyof typeof API_ROUTES;
type Contract<R extends ApiRoute> = (typeof API_ROUTES)[R];

/** What a route answers (checked against its schema), `undefined` when it answers no body. */
export type ApiResponse<R extends ApiRoute> = Contract<R>['response'] extends z.ZodType
  ? z.output<Contract<R>['response']>
  : undefined;
/** The JSON body a route reads, `never` when it reads none. */
export type ApiBody<R extends ApiRoute> =
  Contract<R> extends { body: z.ZodType } ? z.input<Contract<R>['body']> : never;
/** The query a route reads, `never` when it reads none. */
export type ApiQuery<R extends ApiRoute> =
  Contract<R> extends { query: z.ZodType } ? z.input<Contract<R>['query']> : never;
