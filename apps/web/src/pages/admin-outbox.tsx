import { useQuery } from '@tanstack/react-query';
import { call } from '../api/client.ts';
import { Card, Empty, Notice, PageLoading, QueryError } from '../components/ui.tsx';
import { formatDateTime } from '../lib/format.ts';

/** Turns the links of a plain-text mail into anchors, leaving the rest as text. */
function Linked({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/\S+)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text
          <a key={i} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

export default function AdminOutbox() {
  const outbox = useQuery({
    queryKey: ['admin', 'outbox'],
    queryFn: () => call('GET /api/v1/admin/outbox'),
  });
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <p className="eyebrow">Admin</p>
          <h1>Outbox</h1>
          <p className="subtitle">Mail the server wrote to disk because no SMTP server is configured.</p>
        </div>
        <button
          type="button"
          className="btn"
          onClick={() => void outbox.refetch()}
          disabled={outbox.isFetching}
        >
          Refresh
        </button>
      </div>
      {outbox.isPending ? (
        <PageLoading />
      ) : outbox.error ? (
        <QueryError error={outbox.error} what="The outbox" />
      ) : (
        <div className="stack lg">
          {outbox.data.delivery === 'smtp' ? (
            <Notice kind="info">
              Mail leaves over SMTP (<code>SMTP_URL</code> is set), so nothing new is written here.
            </Notice>
          ) : (
            <Notice kind="info">
              Set <code>SMTP_URL</code> to send mail for real. Until then, pass links on to people by hand:
              each works once.
            </Notice>
          )}
          {outbox.data.messages.length === 0 ? (
            <Empty title="No mail yet">Password resets, email confirmations and invites appear here.</Empty>
          ) : (
            outbox.data.messages.map((m) => (
              <Card key={m.id} title={m.subject} headingLevel={2}>
                <p className="small muted" data-testid="outbox-meta">
                  To <strong>{m.to}</strong> · {formatDateTime(m.date)}
                </p>
                <pre className="outbox-text" data-testid="outbox-text">
                  <Linked text={m.text} />
                </pre>
              </Card>
            ))
          )}
        </div>
      )}
    </main>
  );
}
