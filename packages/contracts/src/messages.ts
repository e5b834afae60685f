import { z } from 'zod';

const NOUN: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  date: 'a date',
};

const UNIT: Record<string, string> = {
  string: ' characters',
  array: ' items',
  set: ' items',
  file: ' bytes',
};

/**
 * Default wording for every check a schema leaves unworded, phrased to follow the field's name
 * ("HR max must be at most 250"), as the schemas' own messages are. The API sends it with the
 * field's path; the web puts it after the field's label.
 */
z.config({
  customError: (iss) => {
    switch (iss.code) {
      case 'invalid_type':
        if (iss.input === undefined) return 'is required';
        return `must be ${NOUN[iss.expected] ?? iss.expected}`;
      case 'too_small': {
        const unit = UNIT[iss.origin] ?? '';
        if (iss.origin === 'string' && Number(iss.minimum) === 1) return 'is required';
        return iss.inclusive === false
          ? `must be more than ${iss.minimum}${unit}`
          : `must be at least ${iss.minimum}${unit}`;
      }
      case 'too_big': {
        const unit = UNIT[iss.origin] ?? '';
        return iss.inclusive === false
          ? `must be less than ${iss.maximum}${unit}`
          : `must be at most ${iss.maximum}${unit}`;
      }
      case 'invalid_format':
        return iss.format === 'email' ? 'must be an email address' : `must be a valid ${iss.format}`;
      case 'invalid_value':
        return `must be one of ${iss.values.map(String).join(', ')}`;
      case 'not_multiple_of':
        return `must be a multiple of ${iss.divisor}`;
      case 'unrecognized_keys':
        return `has ${iss.keys.length === 1 ? 'a field' : 'fields'} it does not know: ${iss.keys.join(', ')}`;
      default:
        return undefined;
    }
  },
});
