export * from './token-cipher.ts';
export * from './token-keys.ts';
