// Team sessions (#15.5): listing and review. Starting and ending go through LiveService, which
// owns the live sessions they group and close.
export * from './list-team-sessions.ts';
export * from './review-team-session.ts';
