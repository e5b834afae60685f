import { cloneElement, isValidElement, type ReactNode } from 'react';
import { errorMessage, isMissingRoute } from '../api/client.ts';
import { fieldSentence } from '../lib/messages.ts';

export function PageLoading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="empty" role="status" aria-live="polite">
      <div className="skeleton" style={{ width: 220, height: 14 }} />
      <span className="small">{label}</span>
    </div>
  );
}

export function Stat({
  label,
  value,
  hint,
  id,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  id?: string;
}) {
  return (
    <div className="stat" data-testid={id}>
      <span className="label">{label}</span>
      <span className="value">{value}</span>
      {hint ? <span className="hint">{hint}</span> : null}
    </div>
  );
}

export function Notice({
  kind = 'info',
  children,
  title,
}: {
  kind?: 'info' | 'ok' | 'warn' | 'error';
  children?: ReactNode;
  title?: ReactNode;
}) {
  return (
    <div className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <div className="stack" style={{ gap: 2 }}>
        {title ? <strong>{title}</strong> : null}
        {children ? <div>{children}</div> : null}
      </div>
    </div>
  );
}

/** Errors from a query, with an honest message when the server does not offer the feature yet. */
export function QueryError({ error, what }: { error: unknown; what: string }) {
  if (isMissingRoute(error)) {
    return (
      <Notice kind="warn" title={`${what} is not available on this server yet`}>
        The API does not provide this endpoint. Nothing is shown rather than made-up data.
      </Notice>
    );
  }
  return (
    <Notice kind="error" title={`Could not load ${what.toLowerCase()}`}>
      {errorMessage(error)}
    </Notice>
  );
}

export function Empty({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty">
      <h3>{title}</h3>
      {children ? <p>{children}</p> : null}
      {action}
    </div>
  );
}

export function Card({
  title,
  actions,
  children,
  className = '',
  headingLevel = 2,
  id,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  headingLevel?: 2 | 3;
  id?: string;
}) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section
      className={`card ${className}`}
      aria-labelledby={id && title ? `${id}-title` : undefined}
      data-testid={id}
    >
      {title || actions ? (
        <div className="card-header">
          {title ? <H id={id ? `${id}-title` : undefined}>{title}</H> : <span />}
          {actions ? <div className="row">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}

export function Field({
  label,
  error,
  help,
  children,
  htmlFor,
}: {
  label: string;
  error?: string;
  help?: ReactNode;
  children: ReactNode;
  htmlFor: string;
}) {
  const errorId = `${htmlFor}-error`;
  // The control says it is invalid and which text explains why.
  const control =
    error && isValidElement<{ 'aria-invalid'?: boolean; 'aria-describedby'?: string }>(children)
      ? cloneElement(children, { 'aria-invalid': true, 'aria-describedby': errorId })
      : children;
  return (
    <div className="field">
      <label htmlFor={htmlFor}>{label}</label>
      {control}
      {error ? (
        <span className="error" id={errorId}>
          {fieldSentence(label, error)}
        </span>
      ) : help ? (
        <span className="help">{help}</span>
      ) : null}
    </div>
  );
}

export function Logo() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path
        d="M4 17h6l3-7 5 14 3-7h7"
        fill="none"
        stroke="var(--accent-contrast)"
        strokeWidth="2.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
