import { type FormEvent, useState } from 'react';
import { errorMessage } from '../api/client.ts';
import { type NoteThreadSubject, useAddNote, useNotes } from '../api/coach-queries.ts';
import { formatDateTime } from '../lib/format.ts';
import { Card, Notice, QueryError } from './ui.tsx';

/** The coach ↔ athlete thread on a session or a day: read, then write or reply. */
export function NoteThread({
  subject,
  title = 'Notes',
  id = 'notes',
}: {
  subject: NoteThreadSubject;
  title?: string;
  id?: string;
}) {
  const notes = useNotes(subject);
  const add = useAddNote(subject);
  const [body, setBody] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (body.trim()) add.mutate(body.trim(), { onSuccess: () => setBody('') });
  };
  return (
    <Card id={id} title={title}>
      {notes.error ? <QueryError error={notes.error} what="Notes" /> : null}
      <ol className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid={`${id}-list`}>
        {(notes.data ?? []).map((n) => (
          <li key={n.id} className="stack" style={{ gap: 2 }}>
            <span className="small muted">
              <strong>{n.author.name}</strong> ({n.author.role}) · {formatDateTime(n.createdAt)}
            </span>
            <span>{n.body}</span>
          </li>
        ))}
        {notes.data?.length === 0 ? <li className="muted small">No notes yet.</li> : null}
      </ol>
      {notes.error ? null : (
        <form className="row" onSubmit={submit} style={{ marginTop: 12 }}>
          <input
            style={{ flex: 1, minWidth: 200 }}
            aria-label={`Write a note (${title})`}
            value={body}
            maxLength={4000}
            onChange={(e) => setBody(e.target.value)}
            placeholder="Write a note or reply…"
          />
          <button className="btn" type="submit" disabled={add.isPending || !body.trim()}>
            Send
          </button>
        </form>
      )}
      {add.error ? <Notice kind="error">{errorMessage(add.error)}</Notice> : null}
    </Card>
  );
}
