import { describe, expect, it } from 'vitest';
import { createInviteBodySchema, profileUpdateBodySchema, registerBodySchema } from '../src/index.ts';

const messages = (r: {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
}) => Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));

describe('validation messages follow a field name', () => {
  it('words the checks a schema leaves unworded', () => {
    expect(
      messages(
        profileUpdateBodySchema.safeParse({ hrMax: 300, hrRest: 10, weightKg: 'heavy', birthYear: 1990.5 }),
      ),
    ).toEqual({
      hrMax: 'must be at most 250',
      hrRest: 'must be at least 25',
      weightKg: 'must be a number',
      birthYear: 'must be a whole number',
    });
    expect(messages(profileUpdateBodySchema.safeParse({ colour: 'red' }))).toEqual({
      '': 'has a field it does not know: colour',
    });
    expect(
      messages(registerBodySchema.safeParse({ email: 'a@b.test', password: 'long enough pw', role: 'x' })),
    ).toEqual({
      name: 'is required',
      role: 'must be one of athlete, coach',
    });
  });

  it("keeps a schema's own wording", () => {
    expect(messages(createInviteBodySchema.safeParse({ email: 'not-an-email' }))).toEqual({
      email: 'must be an email address',
    });
    expect(messages(profileUpdateBodySchema.safeParse({ hrZones: [120, 130] }))).toEqual({
      hrZones: 'must list the upper bounds of exactly 5 zones',
    });
  });
});
