/**
 * The browser half of the story: an authorize request PandaDoc refused, a redirect back with an
 * error, state lost or changed on the way, and a flow whose exchange the recording cannot show.
 */
import { preview } from '../../oauth/guards.ts';
import { DOCS } from '../../triage/types.ts';
import { isTokenKind } from '../analyze.ts';
import type { EvidenceDiagnosis } from '../types.ts';
import { authorizeBefore, entriesOf, entryLabel, type RecordingRuleFn } from './shared.ts';

/** The words of PandaDoc's error page, without its markup. */
function pageText(html: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? '';
  const body = html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;/g, ' ');
  const line =
    /[^.]*\b(not a valid scope|redirect|client|error|invalid)\b[^.]*\.?/i.exec(body)?.[0] ?? title;
  return preview(line, 160);
}

export const authorizeRefused: RecordingRuleFn = (items) =>
  items
    .filter((a) => a.kind === 'authorize' && (a.step.status ?? 0) >= 400)
    .map((a) => {
      const text = pageText(a.exchange.response?.body ?? '');
      return {
        rule: 'authorize_refused' as const,
        severity: 'error' as const,
        title: 'PandaDoc refused the authorize request with an error page',
        cause: `PandaDoc answered ${a.step.status} and showed an error page instead of the consent screen, so the browser never came back to the app. It does this for an unknown client_id, a redirect_uri that is not exactly the registered one, a response_type other than code, or an unknown scope.${text ? ` The page says: “${text}”` : ''}`,
        next: 'Compare client_id and redirect_uri character by character with the app in PandaDoc’s developer dashboard (scheme, host, port, path, trailing slash), and use scope read+write.',
        evidence: [
          `${entryLabel(a)}: GET ${a.step.where} → ${a.step.status}`,
          `client_id=${a.params.get('client_id') ?? '(none)'}, redirect_uri=${a.params.get('redirect_uri') ?? '(none)'}, response_type=${a.params.get('response_type') ?? '(none)'}, scope=${a.params.get('scope') ?? '(none)'}`,
        ],
        docs: DOCS.authorizeErrors,
        entries: [a.entry],
      };
    });

export const callbackError: RecordingRuleFn = (items) =>
  items
    .filter((a) => a.kind === 'callback' && a.params.get('error'))
    .map((a) => {
      const error = a.params.get('error') ?? '';
      const denied = error === 'access_denied';
      return {
        rule: denied ? ('access_denied' as const) : ('authorize_error' as const),
        severity: 'error' as const,
        title: denied ? 'The user clicked Deny' : `PandaDoc redirected back with error=${error}`,
        cause: denied
          ? 'The redirect back carried error=access_denied and no code: the user refused the app on PandaDoc’s consent screen (PandaDoc sends no description).'
          : `The redirect back carried error=${preview(error)}${a.params.get('error_description') ? ` (“${preview(a.params.get('error_description') ?? '', 120)}”)` : ''} and no code.`,
        next: denied
          ? 'Ask the user to try again and click Authorize; make the app show a clear message on access_denied instead of failing.'
          : 'Fix what the error names in the authorize request, then start again.',
        evidence: [
          `${entryLabel(a)}: redirect back to ${a.step.where} with error=${preview(error)}`,
        ],
        docs: DOCS.authorizeErrors,
        entries: [a.entry],
      };
    });

export const stateChecks: RecordingRuleFn = (items) => {
  const out: EvidenceDiagnosis[] = [];
  for (const cb of items.filter((a) => a.kind === 'callback')) {
    const auth = authorizeBefore(items, cb);
    if (!auth) continue;
    const sent = auth.state;
    const back = cb.state;
    const ev = [
      `${entryLabel(auth)} authorize: ${sent === null ? 'no state' : sent === '' ? 'state empty' : `state ${sent}`}`,
      `${entryLabel(cb)} redirect back: ${back === null ? 'no state' : back === '' ? 'state empty' : `state ${back}`}`,
    ];
    const base = { evidence: ev, docs: DOCS.state, entries: entriesOf([auth, cb]) };
    if (!sent) {
      out.push({
        ...base,
        rule: 'state_empty',
        severity: 'warning',
        title: 'The authorize request sent no state',
        cause: `Without a state the app cannot tell its own redirect from a forged one (CSRF). PandaDoc echoes state even when none was sent, as an empty state=${back === '' ? ', as it did here' : ''}, so a client that checks state naively may fail.`,
        next: 'Send a fresh random state with each authorize request, keep it in the user’s session, and compare it in the callback.',
      });
    } else if (back === null) {
      out.push({
        ...base,
        rule: 'state_missing',
        severity: 'error',
        title: 'The redirect back has no state',
        cause:
          'The authorize request sent a state but the redirect back has none. PandaDoc always echoes it, so this redirect did not come straight from that authorize request (a bookmarked or rewritten URL, or a proxy dropped the query).',
        next: 'Start again from the app’s sign-in button, and check that nothing between PandaDoc and the callback rewrites its query.',
      });
    } else if (back === '') {
      out.push({
        ...base,
        rule: 'state_empty',
        severity: 'error',
        title: 'The redirect back came with an empty state',
        cause:
          'The authorize request sent a state, but it came back empty: the state was lost on the way (a redirect that dropped it, or a second authorize request without one).',
        next: 'Check that every authorize URL the app builds carries the state, then start again.',
      });
    } else if (back !== sent) {
      const older = items.find((a) => a.kind === 'authorize' && a.state === back);
      out.push({
        ...base,
        rule: 'state_mismatch',
        severity: 'error',
        title: 'The state in the redirect back differs from the authorize request’s',
        cause: older
          ? `The redirect carries the state of an earlier authorize request (${entryLabel(older)}): two sign-ins were started (two tabs, or a double click), and the app compared against the newer one.`
          : 'The redirect carries a state this recording never sent: it belongs to another sign-in attempt, or the app stored its state somewhere the callback cannot read (another session, another domain).',
        next: 'Keep one pending state per user session (or accept any of the recent ones), and start the sign-in once.',
        entries: entriesOf([auth, cb], older ? [older] : []),
      });
    }
  }
  return out;
};

/** A browser recording shows authorize and callback, but the exchange runs on the app's server. */
export const noTokenCall: RecordingRuleFn = (items) => {
  const callbacks = items.filter((a) => a.kind === 'callback' && a.prints.code);
  if (!callbacks.length || items.some((a) => isTokenKind(a.kind))) return [];
  return [
    {
      rule: 'no_token_call',
      severity: 'info',
      title: 'The recording has no token call',
      cause:
        'A code came back, but no call to /oauth2/access_token is in the recording. The exchange normally runs on the app’s server, which a browser recording cannot see.',
      next: 'Ask for the server side too: the token request and answer from the server’s log, the SDK error it printed, or a HAR from a proxy (Charles, Fiddler, mitmproxy) in front of the server.',
      evidence: callbacks.map((a) => `${entryLabel(a)}: code ${a.prints.code ?? ''} came back`),
      entries: entriesOf(callbacks),
    },
  ];
};
