export * from './app-link.ts';
export * from './compose-mail.ts';
export * from './list-outbox.ts';
export * from './send-mail.ts';
