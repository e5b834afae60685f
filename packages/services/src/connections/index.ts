// Provider plumbing shared by integrations/ (connect, webhooks) and sync/ (runs): settings,
// OAuth clients, stored tokens, request budgets and raw response storage.
export * from './connection-tokens.ts';
export * from './oauth-clients.ts';
export * from './provider-budget.ts';
export * from './provider-config.ts';
export * from './provider-session.ts';
export * from './store-raw.ts';
