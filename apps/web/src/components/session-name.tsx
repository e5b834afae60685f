import { type FormEvent, useState } from 'react';
import { errorMessage } from '../api/client.ts';
import { useRenameSession } from '../api/queries.ts';
import type { TrainingSession } from '../api/types.ts';
import { Notice } from './ui.tsx';

/** The athlete names (or renames) a session of their own; an empty name clears it. */
export function SessionName({ session }: { session: TrainingSession }) {
  const rename = useRenameSession(session.id);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(session.name ?? '');
  if (!editing) {
    return (
      <button
        type="button"
        className="btn small"
        onClick={() => {
          setName(session.name ?? '');
          setEditing(true);
        }}
      >
        {session.name ? 'Rename' : 'Name this session'}
      </button>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate(name.trim() === '' ? null : name.trim(), { onSuccess: () => setEditing(false) });
  };
  return (
    <form className="row" onSubmit={submit} aria-label="Rename the session">
      <label className="visually-hidden" htmlFor="session-name">
        Session name
      </label>
      <input
        id="session-name"
        value={name}
        maxLength={120}
        placeholder="e.g. Tempo run"
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="btn small primary" disabled={rename.isPending}>
        Save
      </button>
      <button type="button" className="btn small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {rename.error ? <Notice kind="error">{errorMessage(rename.error)}</Notice> : null}
    </form>
  );
}
