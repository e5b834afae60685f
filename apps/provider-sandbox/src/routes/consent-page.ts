const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export interface ConsentPageParams {
  providerName: string;
  appName: string;
  scopes: string[];
  action: string;
  hidden: Record<string, string>;
}

/** The HTML consent page: who asks, for what, and Allow / Deny. */
export function renderConsentPage(params: ConsentPageParams): string {
  const hidden = Object.entries(params.hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  const scopes = params.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(params.providerName)} sandbox: authorise ${escapeHtml(params.appName)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1.5rem;margin-right:.5rem}</style>
</head>
<body>
  <h1>${escapeHtml(params.providerName)} (sandbox)</h1>
  <p><strong id="app-name">${escapeHtml(params.appName)}</strong> would like to access your ${escapeHtml(params.providerName)} data:</p>
  <ul id="scopes">${scopes}</ul>
  <form method="post" action="${escapeHtml(params.action)}">
      ${hidden}
      <label>Signed in as <input name="login" value="athlete" autocomplete="username"></label>
      <p>
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="deny">Deny</button>
      </p>
  </form>
</body>
</html>`;
}

export function errorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorisation error</title></head><body><h1>Authorisation error</h1><p>${escapeHtml(message)}</p></body></html>`;
}

export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}
