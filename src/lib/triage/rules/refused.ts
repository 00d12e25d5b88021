/**
 * A captured call the debugger answered itself (lib/api/traffic.ts `refused`): it never reached
 * PandaDoc, so nothing about PandaDoc, a code or a token can be read from its answer. Says so, why
 * the debugger refused it, and what to change.
 */
import type { RefusalKind } from '../../api/traffic.ts';
import { refusalOf } from '../../verdict/classify.ts';
import type { Rule } from '../facts.ts';
import { DOCS, type TriageInput } from '../types.ts';

const isTokenCall = (kind: string) => kind === 'exchange' || kind === 'refresh';

/** What a call from code in a browser page runs into, preflight or not. */
const FROM_A_PAGE =
  'Call PandaDoc from your server, not from code in a browser page: PandaDoc grants no CORS, and a token request carries your client_secret, which must never be in a page.';

const NEXT: Partial<Record<RefusalKind, (input: TriageInput) => string>> = {
  method: () =>
    'Send the call with the method PandaDoc documents for it (the token endpoint takes POST). The debugger never passes on CONNECT, TRACE or TRACK.',
  too_large: (input) =>
    isTokenCall(input.kind)
      ? 'A token request is a small form of a few hundred bytes (the debugger allows 64 KiB): check what your code puts in the body, and send only grant_type, client_id, client_secret and the code or refresh_token.'
      : 'Uploads through the debugger stop at 100 MB: send a smaller file through it, or this one straight to PandaDoc.',
  preflight: () => FROM_A_PAGE,
  cross_site: () => `${FROM_A_PAGE} Point your server-side code at the debugger instead.`,
  https: () =>
    'Use http:// in the base URL your code gives the debugger (its origin, or its /us or /eu): it serves plain HTTP on this machine only, and makes the https:// call to PandaDoc itself.',
  unreadable: () =>
    'Check the headers your code sends: no line break or control character in a value (trim a token read from a file or an environment variable), and under 16 KB in all. An HTTP library builds a valid request; a hand-written one must end each line with CRLF.',
  not_found: () =>
    'The debugger passes on /oauth2/access_token and every path under /public/, optionally after /us or /eu. Check the base URL your code uses (the debugger’s origin, or its /us or /eu) and the path PandaDoc documents.',
};

export const debuggerRefused: Rule = (input) => {
  const refusal = refusalOf(input.call);
  if (!refusal) return null;
  const upstream = input.context.wire?.upstream ?? input.context.profile.environment;
  const where = upstream === 'simulator' ? 'the simulator' : 'PandaDoc';
  const status = input.call.response?.status;
  const unchanged = isTokenCall(input.kind)
    ? 'no code was used and no refresh token rotated'
    : `nothing changed on ${where}`;
  return {
    rule: 'debugger_refused',
    severity: 'error',
    title: `Refused by the debugger: never sent to ${where}`,
    cause: `${refusal.reason} The ${status ? `${status} ` : ''}answer came from this debugger, not from ${where}, so ${unchanged}.`,
    next: (NEXT[refusal.kind] ?? (() => 'Send the call again once it is fixed.'))(input),
    evidence: [
      `Answered by the debugger: ${input.call.request.method} ${input.call.request.url}${status ? ` → ${status}` : ''}`,
    ],
    ...(isTokenCall(input.kind) ? { docs: DOCS.accessToken } : {}),
  };
};
