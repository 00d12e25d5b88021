/**
 * What differs between the authorize request and what came after it: redirect_uri and scope in
 * the token request, state in the redirect back, and the region the code was exchanged in.
 */
import { environmentInfo } from '../../oauth/environments.ts';
import { KNOWN_SCOPES, splitRequestedScope } from '../../oauth/scope.ts';
import { triageAuthorize } from '../../triage/authorize.ts';
import { compareRedirectUris } from '../../triage/redirectUri.ts';
import { DOCS } from '../../triage/types.ts';
import { isTokenKind, type AnalyzedItem } from '../analyze.ts';
import { regionOf } from '../roles.ts';
import type { EvidenceDiagnosis } from '../types.ts';
import { authorizeBefore, entriesOf, entryLabel, type RecordingRuleFn } from './shared.ts';

/** The authorize request whose code a token call sent, else the last one before it. */
function originOf(items: readonly AnalyzedItem[], a: AnalyzedItem): AnalyzedItem | undefined {
  const callback = items.find(
    (b) => b.kind === 'callback' && b.prints.code && b.prints.code === a.prints.code,
  );
  return authorizeBefore(items, callback ?? a);
}

export const redirectUriDiffers: RecordingRuleFn = (items) =>
  items
    .filter((a) => a.kind === 'exchange' && a.params.has('redirect_uri'))
    .flatMap((a) => {
      const auth = originOf(items, a);
      const asked = auth?.params.get('redirect_uri');
      const sent = a.params.get('redirect_uri') ?? '';
      if (!auth || asked === null || asked === undefined || asked === sent) return [];
      const diffs = compareRedirectUris(sent, asked);
      return [
        {
          rule: 'redirect_uri_changed' as const,
          severity: 'warning' as const,
          title: 'redirect_uri differs between the authorize request and the token request',
          cause: `${diffs.map((d) => d.message).join(' ') || 'The two strings differ.'} PandaDoc does not compare them at the exchange today, but OAuth requires them to be identical and the registered one must match exactly at authorize.`,
          next: 'Send the very same redirect_uri string in both requests (ideally one constant in your code).',
          evidence: [
            `${entryLabel(auth)} authorize: redirect_uri=${asked}`,
            `${entryLabel(a)} token request: redirect_uri=${sent}`,
          ],
          docs: DOCS.redirectUri,
          entries: entriesOf([auth, a]),
        },
      ];
    });

const names = (scope: string) => new Set(splitRequestedScope(scope));
const bits = (set: Set<string>) =>
  [...set].reduce(
    (b, n) => b | (n === 'read' ? 2 : n === 'write' ? 4 : n === 'read+write' ? 6 : 0),
    2,
  );

export const scopeDiffers: RecordingRuleFn = (items) =>
  items
    .filter((a) => isTokenKind(a.kind) && a.params.has('scope'))
    .flatMap((a) => {
      const auth = originOf(items, a);
      const asked = auth?.params.get('scope');
      const sent = a.params.get('scope') ?? '';
      if (!auth || asked === null || asked === undefined) return [];
      const wider = (bits(names(sent)) & ~bits(names(asked))) !== 0;
      if (bits(names(sent)) === bits(names(asked))) return [];
      return [
        {
          rule: 'scope_differs' as const,
          severity:
            wider || a.verdict?.errorCode === 'invalid_scope'
              ? ('error' as const)
              : ('warning' as const),
          title: 'scope differs between the authorize request and the token request',
          cause: wider
            ? 'The token request asks for more than the user granted at authorize; PandaDoc refuses a wider scope with invalid_scope.'
            : 'The token request asks for less than was granted. PandaDoc keeps the grant of the code, so the answer may not be what the client expects.',
          next: 'Leave scope out of the token request (the code carries its grant), or send exactly what the authorize request asked for.',
          evidence: [
            `${entryLabel(auth)} authorize: scope “${asked}” → ${[...names(asked)].join(', ') || '(none)'}`,
            `${entryLabel(a)} token request: scope “${sent}” → ${[...names(sent)].join(', ') || '(none)'}`,
          ],
          docs: DOCS.accessToken,
          entries: entriesOf([auth, a]),
        },
      ];
    });

/** The scope value exactly as written in a query or form: its encoding is the point. */
function rawScope(a: AnalyzedItem): string | null {
  const source = a.kind === 'authorize' ? a.rawQuery : (a.exchange.request.body ?? '');
  const m = /(?:^|&)scope=([^&]*)/.exec(source);
  return m ? (m[1] ?? '') : null;
}

export const scopeEncoding: RecordingRuleFn = (items) => {
  const out: EvidenceDiagnosis[] = [];
  const plus: AnalyzedItem[] = [];
  const encoded: AnalyzedItem[] = [];
  for (const a of items) {
    if (a.kind !== 'authorize' && !(isTokenKind(a.kind) && !a.jsonBody)) continue;
    const raw = rawScope(a);
    if (raw === null) continue;
    if (/%25(2B|20)/i.test(raw)) {
      out.push({
        rule: 'scope_encoding',
        severity: 'error',
        title: 'scope was encoded twice',
        cause: `scope was sent as “${raw.slice(0, 60)}”: its % was itself encoded, so PandaDoc reads “${splitRequestedScope(raw).join(' ')}”, which is not a scope name, and refuses it.`,
        next: 'Encode the query once: pass scope=read+write (or "read write") to one URL builder, not to two.',
        evidence: [`${entryLabel(a)}: scope=${raw.slice(0, 60)}`],
        docs: DOCS.authentication,
        entries: [a.entry],
      });
    } else if (/%2B/i.test(raw)) encoded.push(a);
    else if (/\+/.test(raw)) plus.push(a);
  }
  const both = [...plus, ...encoded];
  if (both.length) {
    out.push({
      rule: 'scope_encoding',
      severity: 'info',
      title: `scope sent as ${[plus.length && '“read+write” with a literal +', encoded.length && '“read%2Bwrite”'].filter(Boolean).join(' and ')}`,
      cause:
        'Both grant read and write. A literal + is form-decoded to a space, so read+write means the two names read and write; read%2Bwrite is the one name read+write. PandaDoc answers either with scope "read write read+write", so a client comparing the answer with what it asked for must not expect "read+write".',
      next: 'Nothing to fix here unless the client rejects the answer’s scope string; if so, compare scope names, not strings.',
      evidence: both.map((a) => `${entryLabel(a)}: scope=${rawScope(a) ?? ''}`),
      docs: DOCS.authentication,
      entries: entriesOf(both),
    });
  }
  // Unknown names: the same check the authorize step runs before it sends.
  for (const a of items.filter((b) => b.kind === 'authorize')) {
    const scope = a.params.get('scope');
    if (!scope || splitRequestedScope(scope).every((n) => KNOWN_SCOPES.includes(n))) continue;
    for (const d of triageAuthorize({ redirectUri: a.params.get('redirect_uri') ?? '', scope }))
      out.push({ ...d, entries: [a.entry] });
  }
  return out;
};

export const regionMismatch: RecordingRuleFn = (items) =>
  items
    .filter((a) => isTokenKind(a.kind))
    .flatMap((a) => {
      const auth = originOf(items, a);
      const from = auth ? regionOf(auth.exchange.request.url) : null;
      const to = regionOf(a.exchange.request.url);
      if (!auth || !from || !to || from === to || from === 'simulator' || to === 'simulator')
        return [];
      const right = environmentInfo(from, '');
      return [
        {
          rule: 'region_mismatch' as const,
          severity: 'error' as const,
          title: `Authorized on PandaDoc ${from.toUpperCase()}, exchanged on PandaDoc ${to.toUpperCase()}`,
          cause: `Accounts, apps and codes live in one region only. A code issued by ${new URL(auth.exchange.request.url).host} means nothing to ${new URL(a.exchange.request.url).host}, which answers invalid_grant (or invalid_client for the app).`,
          next: `Send token calls to ${right.tokenEndpoint} and API calls to ${right.apiBase}, the region the user authorized in.`,
          evidence: [
            `${entryLabel(auth)} authorize on ${new URL(auth.exchange.request.url).host}`,
            `${entryLabel(a)} token call to ${new URL(a.exchange.request.url).host} → ${a.step.summary}`,
          ],
          docs: DOCS.authentication,
          entries: entriesOf([auth, a]),
        },
      ];
    });
