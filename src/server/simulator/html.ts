/** HTML for the simulated PandaDoc screens. No script at all; everything echoed is escaped. */
import type { AuthorizeError } from './authorize.ts';
import { displayName } from './member.ts';
import { SCOPE_EXPLANATIONS, WRITE } from './scope.ts';
import type { ConsentDescriptor } from './state.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f4f5f7; --card: #ffffff; --text: #1b1d22; --muted: #4a4f5a;
  --border: #d5d8de; --accent: #1e7a3c; --accent-text: #ffffff; --badge-bg: #fff4cc; --badge-text: #5c4300;
  --error: #a4161a; --code-bg: #eef0f3; --control-border: #8a909c; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #121418; --card: #1c1f26; --text: #eceef2; --muted: #b4bac6; --border: #3a3f4b;
    --accent: #4cc47a; --accent-text: #07140c; --badge-bg: #4a3a00; --badge-text: #ffe9a3;
    --error: #ff8a8a; --code-bg: #2a2e37; --control-border: #6c7280; }
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1.5rem;
  background: var(--bg); color: var(--text); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { width: 100%; max-width: 32rem; background: var(--card); border: 1px solid var(--border);
  border-radius: 12px; padding: 1.75rem; }
.badge { display: inline-block; margin: 0 0 1rem; padding: 0.15rem 0.6rem; border-radius: 999px;
  background: var(--badge-bg); color: var(--badge-text); font-size: 0.8rem; font-weight: 600; }
h1 { margin: 0 0 0.75rem; font-size: 1.5rem; }
h2 { margin: 1.25rem 0 0.5rem; font-size: 1rem; }
p, ul, dl { margin: 0 0 0.75rem; }
.muted { color: var(--muted); }
code { background: var(--code-bg); padding: 0.05rem 0.3rem; border-radius: 4px; overflow-wrap: anywhere;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.actions { display: flex; gap: 0.75rem; margin: 1.5rem 0 1.25rem; }
button { flex: 1; font: inherit; font-weight: 600; padding: 0.6rem 1rem; border-radius: 8px; cursor: pointer;
  border: 1px solid var(--control-border); background: transparent; color: var(--text); }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.error-code { color: var(--error); font-weight: 600; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · PandaDoc simulator</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="badge">PandaDoc simulator</p>
${body}
<p class="muted"><small>Simulated screen: no real PandaDoc account is involved.</small></p>
</main>
</body>
</html>
`;
}

function hidden(name: string, value: string | null): string {
  if (value === null) return '';
  return `<input type="hidden" name="${name}" value="${escapeHtml(value)}">\n`;
}

/** The "Authorize Application" screen; the form posts back to `formAction`. */
export function consentPage({ request, user }: ConsentDescriptor, formAction: string): string {
  const granted = request.grant & WRITE ? ['read', 'write'] : ['read'];
  const items = granted
    .map((name) => {
      const text = SCOPE_EXPLANATIONS[name as 'read' | 'write'];
      return `<li><code>${name}</code>: ${escapeHtml(text)}</li>`;
    })
    .join('\n');
  const requested =
    request.scopeParam === null
      ? 'No scope was requested, so only <code>read</code> is granted.'
      : `Requested scope: <code>${escapeHtml(request.scopeParam)}</code>`;
  return page(
    'Authorize Application',
    `<h1 id="title">Authorize Application</h1>
<p>The application <strong><code>${escapeHtml(request.client.clientId)}</code></strong> wants to access your PandaDoc account.</p>
<p>Signed in as ${escapeHtml(displayName(user))} · ${escapeHtml(user.email)}<br>
<span class="muted">Workspace: ${escapeHtml(user.workspace_name)}</span></p>
<h2>This application will be able to</h2>
<ul>
${items}
</ul>
<p class="muted">${requested}</p>
<p class="muted">Either choice sends you back to <code>${escapeHtml(request.redirectUri)}</code>.</p>
<form method="post" action="${escapeHtml(formAction)}" aria-labelledby="title">
${hidden('client_id', request.client.clientId)}${hidden('response_type', request.responseType)}${hidden('redirect_uri', request.redirectUriParam)}${hidden('scope', request.scopeParam)}${hidden('state', request.state)}<div class="actions">
<button type="submit" class="primary" name="decision" value="allow">Authorize</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`,
  );
}

/** The error screen: shown instead of redirecting, so the app never hears about it. */
export function errorPage(error: AuthorizeError): string {
  return page(
    'Authorization error',
    `<h1>Authorization error</h1>
<p class="error-code"><code>${escapeHtml(error.error)}</code></p>
<p>${escapeHtml(error.description)}</p>
<p class="muted">PandaDoc shows this page instead of sending the browser back to the application, so the application receives nothing.</p>`,
  );
}
