import { useState } from 'react';
import { browserSpeech, storedSwitch, storeSwitch } from '../lib/speech.ts';

/** An on/off switch for spoken feedback, remembered per browser under `name`; off by default. */
export function useSpeechSwitch(name: string): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => storedSwitch(name));
  return [
    on,
    (next) => {
      storeSwitch(name, next);
      setOn(next);
    },
  ];
}

export function SpeechSwitch({
  on,
  onChange,
  label,
  testId,
}: {
  on: boolean;
  onChange: (on: boolean) => void;
  label: string;
  testId: string;
}) {
  const supported = browserSpeech() !== null;
  return (
    <label
      className="check speech-switch"
      title={supported ? undefined : 'This browser cannot speak (no speech synthesis).'}
    >
      <input
        type="checkbox"
        role="switch"
        checked={on && supported}
        aria-checked={on && supported}
        disabled={!supported}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
      />
      {label}
    </label>
  );
}
