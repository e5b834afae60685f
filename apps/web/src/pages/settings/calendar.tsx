import { errorMessage } from '../../api/client.ts';
import { useCalendarFeed, useChangeCalendarFeed } from '../../api/plan-queries.ts';
import { Card, Notice } from '../../components/ui.tsx';
import { formatDateTime } from '../../lib/format.ts';

/**
 * The athlete's iCalendar feed: a secret URL to paste into a calendar app. The server keeps only
 * its hash, so the URL is shown once, right after it is made; a new one replaces the old.
 */
export function CalendarSection() {
  const feed = useCalendarFeed();
  const change = useChangeCalendarFeed();
  const url = change.data?.url;
  return (
    <Card id="calendar-feed" title="Calendar feed">
      <div className="stack">
        <p className="small muted">
          Your planned sessions in Google Calendar, Apple Calendar or Outlook: subscribe to this secret URL.
          Anyone with the URL sees your plans, so keep it to yourself; make a new one or turn it off at any
          time.
        </p>
        {feed.data?.active ? (
          <p data-testid="feed-status">A feed URL is active since {formatDateTime(feed.data.createdAt!)}.</p>
        ) : feed.data ? (
          <p data-testid="feed-status">No feed URL yet.</p>
        ) : null}
        {url ? (
          <Notice kind="ok" title="Copy it now: it is shown only once">
            <span className="feed-url" data-testid="feed-url">
              {url}
            </span>
          </Notice>
        ) : null}
        {change.error ? <Notice kind="error">{errorMessage(change.error)}</Notice> : null}
        <div className="row">
          <button
            type="button"
            className="btn primary"
            disabled={change.isPending}
            onClick={() => change.mutate('rotate')}
          >
            {feed.data?.active ? 'Make a new URL' : 'Create feed URL'}
          </button>
          {feed.data?.active ? (
            <button
              type="button"
              className="btn danger"
              disabled={change.isPending}
              onClick={() => change.mutate('revoke')}
            >
              Turn off
            </button>
          ) : null}
        </div>
      </div>
    </Card>
  );
}
