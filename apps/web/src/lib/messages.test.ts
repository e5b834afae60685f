import { describe, expect, it } from 'vitest';
import { fieldName, fieldSentence, issuesSentence } from './messages.ts';

describe('validation messages as sentences', () => {
  it('names a field as people know it', () => {
    expect(fieldName('body.email')).toBe('Email');
    expect(fieldName('body.hrZones.2')).toBe('Zone 3 top');
    expect(fieldName('body.hrZones')).toBe('The zone tops');
    expect(fieldName('body.thresholds.hrAboveSeconds')).toBe('Hr above seconds');
    expect(fieldName('querystring.pageSize')).toBe('Page size');
  });

  it('puts the label before a phrase and keeps a sentence as it is', () => {
    expect(fieldSentence('HR max (bpm)', 'must be at most 250')).toBe('HR max must be at most 250.');
    expect(fieldSentence('Email', 'Enter a valid email address.')).toBe('Enter a valid email address.');
    expect(fieldSentence('Team name', 'is required')).toBe('Team name is required.');
  });

  it('turns the API issues into one sentence per field', () => {
    expect(
      issuesSentence([
        { field: 'body.email', message: 'must be an email address' },
        { field: 'body.password', message: 'must be at least 10 characters' },
      ]),
    ).toBe('Email must be an email address. Password must be at least 10 characters.');
  });
});
