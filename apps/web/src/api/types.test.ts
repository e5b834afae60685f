import type { Alert as ContractAlert } from '@athlete/contracts';
import { describe, expectTypeOf, it } from 'vitest';
import type { Alert } from './types.ts';

// Checked by `tsc` (pnpm typecheck): the SPA names a wire shape, it does not widen it with
// fields the server never sends.
describe('web API types', () => {
  it('an alert is exactly the contracts alert', () => {
    expectTypeOf<Alert>().toEqualTypeOf<ContractAlert>();
  });
});
