export * from './list-users.ts';
export * from './set-user-disabled.ts';
