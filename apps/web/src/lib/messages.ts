/**
 * Validation messages as sentences. The API names a field by its path and words the problem to
 * follow the field's name ("body.email", "must be an email address"); these put the two together
 * the way a person reads it ("Email must be an email address.").
 */

/** Names people know the request fields by, where the field's own name would not do. */
const FIELD_NAMES: Record<string, string> = {
  email: 'Email',
  password: 'Password',
  name: 'Name',
  role: 'Role',
  birthYear: 'Birth year',
  sex: 'Sex',
  weightKg: 'Weight',
  hrMax: 'HR max',
  hrRest: 'Resting HR',
  hrZones: 'The zone tops',
  thresholds: 'Alert thresholds',
  rpe: 'Effort',
  note: 'Note',
};

/** "body.hrZones.2" → "Zone 3 top"; "body.email" → "Email"; unknown camelCase → words. */
export function fieldName(path: string): string {
  const parts = path.split('.').filter((p) => !['body', 'querystring', 'params', 'headers'].includes(p));
  const zone = /^hrZones\.(\d)$/.exec(parts.join('.'));
  if (zone) return `Zone ${Number(zone[1]) + 1} top`;
  const last = [...parts].reverse().find((p) => !/^\d+$/.test(p));
  if (!last) return 'This';
  return FIELD_NAMES[last] ?? capitalise(last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
}

/** A field label without its unit: "HR max (bpm)" → "HR max". */
const bare = (label: string) => label.replace(/\s*\([^)]*\)\s*$/, '').trim();
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const stop = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/**
 * The message shown next to a field: a phrase that follows a name ("must be at most 250") gets
 * the field's label in front; a message that is already a sentence is kept.
 */
export function fieldSentence(label: string, message: string): string {
  const m = message.trim();
  return stop(/^[a-z]/.test(m) ? `${bare(label)} ${m}` : m);
}

/** A 400's issues ({field, message}) as sentences, one per field. */
export function issuesSentence(issues: ReadonlyArray<{ field: string; message: string }>): string {
  return issues.map((i) => fieldSentence(fieldName(i.field), i.message)).join(' ');
}
