/**
 * Fields that hold credentials, censored by every process's logger (api, worker, CLIs), so a
 * token or key logged as part of an object never reaches a log line.
 */
export const SECRET_LOG_PATHS = ['*.password', '*.token', '*.accessToken', '*.refreshToken', '*.key'];

export const LOG_CENSOR = '[redacted]';
