import { Field } from './ui.tsx';

/** The alert thresholds people edit, as shown (percentages ×100), for an athlete or a team. */
export const THRESHOLD_FIELDS = [
  {
    key: 'hrAbovePctMax',
    label: 'High HR (% of HR max)',
    scale: 100,
    help: 'Alert when HR stays above this share of HR max.',
  },
  { key: 'hrAboveBpm', label: 'High HR (bpm)', scale: 1, help: 'With a % as well, the lower one applies.' },
  { key: 'hrAboveSeconds', label: 'High HR for (s)', scale: 1, help: 'How long before the alert fires.' },
  { key: 'hrBelowBpm', label: 'Low HR (bpm)', scale: 1, help: 'During a session.' },
  { key: 'dropoutSeconds', label: 'Dropout after (s)', scale: 1, help: 'No samples for this long.' },
  { key: 'jumpBpm', label: 'Jump (bpm)', scale: 1, help: 'Change between consecutive samples.' },
] as const;

export type ThresholdValues = Record<string, number | null | undefined>;
export type ThresholdForm = Record<string, string>;

/** Stored values → the text of each input (empty where not set). */
export function thresholdsToForm(values: ThresholdValues | null | undefined): ThresholdForm {
  return Object.fromEntries(
    THRESHOLD_FIELDS.map((f) => {
      const v = values?.[f.key];
      return [f.key, v != null ? String(Math.round(v * f.scale * 100) / 100) : ''];
    }),
  );
}

/** The inputs → values to store: only fields filled in (an empty one falls back to the level below). */
export function formToThresholds(form: ThresholdForm): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of THRESHOLD_FIELDS) {
    const v = form[f.key]?.trim();
    if (v) out[f.key] = Number(v) / f.scale;
  }
  return out;
}

/** What an empty field falls back to, as its placeholder ("off" for a rule turned off). */
export function placeholderOf(key: string, fallback: ThresholdValues): string {
  const f = THRESHOLD_FIELDS.find((x) => x.key === key);
  const v = fallback[key];
  if (!f || v === undefined) return '';
  return v === null ? 'off' : String(Math.round(v * f.scale * 100) / 100);
}

export function ThresholdFields({
  idPrefix = '',
  form,
  onChange,
  fallback,
  errors,
}: {
  idPrefix?: string;
  form: ThresholdForm;
  onChange: (form: ThresholdForm) => void;
  /** Values an empty field falls back to, shown as placeholders. */
  fallback: ThresholdValues;
  errors: Record<string, string>;
}) {
  return (
    <div className="form-grid">
      {THRESHOLD_FIELDS.map((f) => (
        <Field
          key={f.key}
          label={f.label}
          htmlFor={`${idPrefix}${f.key}`}
          help={f.help}
          error={errors[`body.thresholds.${f.key}`] ?? errors[`thresholds.${f.key}`] ?? errors[f.key]}
        >
          <input
            id={`${idPrefix}${f.key}`}
            inputMode="decimal"
            value={form[f.key] ?? ''}
            placeholder={placeholderOf(f.key, fallback)}
            onChange={(e) => onChange({ ...form, [f.key]: e.target.value })}
          />
        </Field>
      ))}
    </div>
  );
}
