/**
 * Mistakes a developer makes in their own code, seen on the wire (calls captured by the
 * pass-through): how the token request is built, what the SDK leaves behind, and what several
 * calls reveal together (a code sent twice, two refreshes racing, the other region's token).
 * The cross-call rules read `context.wire`, built from the recording by lib/traffic/triageCalls.ts.
 */
import type { EnvironmentId } from '../../oauth/environments.ts';
import { environmentInfo } from '../../oauth/environments.ts';
import { preview } from '../../oauth/guards.ts';
import { clock, succeeded, type CallFacts, type Rule } from '../facts.ts';
import type { HistoryFingerprints, HistoryLike } from '../history.ts';
import { DOCS, type TriageInput } from '../types.ts';

/** One earlier (or overlapping) call of the recording, as the cross-call rules see it. */
export interface WireEntry extends HistoryLike {
  /** Where the call went. */
  upstream: EnvironmentId | null;
  durationMs: number;
  /** How a person finds it in the list: "call #12 (curl)". */
  label: string;
}

export interface WireContext {
  /** Where this call went (null when unknown). */
  upstream: EnvironmentId | null;
  /** Fingerprints of what this call sent and got. */
  sent: HistoryFingerprints;
  /** The recording's other calls, oldest first, this one excluded; later ones included (races). */
  others: WireEntry[];
}

const TOKEN_FIELDS = ['grant_type', 'client_id', 'client_secret', 'code', 'refresh_token'];
const isTokenCall = (kind: string) => kind === 'exchange' || kind === 'refresh';
const failed = (facts: CallFacts) => facts.status !== null && !succeeded(facts);
const regionName = (env: EnvironmentId) => environmentInfo(env, '').label;
/** A label at the start of a sentence: "Call #3 (curl)". */
const capital = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

function queryOf(url: string): URLSearchParams {
  try {
    return new URL(url).searchParams;
  } catch {
    return new URLSearchParams(url.split('?')[1] ?? '');
  }
}

/** The token request's fields in the URL instead of the form body. */
export const tokenQueryString: Rule = (input, facts) => {
  if (!isTokenCall(input.kind) || !failed(facts)) return null;
  const query = queryOf(input.call.request.url);
  const inQuery = TOKEN_FIELDS.filter((f) => query.has(f));
  if (inQuery.length === 0 || facts.form?.get('grant_type')) return null;
  return {
    rule: 'token_query_string',
    severity: 'error',
    title: 'The token request sent its fields in the URL, not in the body',
    cause: `PandaDoc reads grant_type, client_id, client_secret and ${input.kind === 'refresh' ? 'refresh_token' : 'code'} from a form body only. These were in the query string, so the body looked empty${facts.description ? ` ("${preview(facts.description, 80)}")` : ''}. A secret in a URL also ends up in proxy and server logs.`,
    next: 'POST the fields as an application/x-www-form-urlencoded body (URLSearchParams as the fetch body; data= in Python requests; --data-urlencode in curl) and keep the URL bare.',
    evidence: [`Fields in the query string: ${inQuery.join(', ')}`],
    docs: DOCS.formBody,
  };
};

/** `grant_type=refresh_token` with a `code`: the SDK's documented example, copied as it is. */
export const refreshWithCode: Rule = (_input, facts) => {
  const form = facts.form;
  if (!form || !failed(facts)) return null;
  if (form.get('grant_type') !== 'refresh_token' || !form.get('code')) return null;
  return {
    rule: 'refresh_with_code',
    severity: 'error',
    title: 'grant_type=refresh_token was sent with a code',
    cause: `A code is exchanged with grant_type=authorization_code. With grant_type=refresh_token PandaDoc ignores the code and looks for a refresh_token${form.get('refresh_token') ? ', and refuses the one sent' : ', which is missing'}. The SDK's documentation example of accessToken() does exactly this: it sets grantType "refresh_token" next to a code.`,
    next: "For the first exchange send grant_type=authorization_code with the code (SDK: accessToken({ grantType: 'authorization_code', clientId, clientSecret, code })); send refresh_token only when refreshing, without a code.",
    evidence: [
      `grant_type sent: refresh_token`,
      `Fields sent: ${[...new Set(form.keys())].join(', ')}`,
    ],
    docs: DOCS.accessToken,
  };
};

/** An `Authorization: API-Key …` header on a token call: the SDK's generated leftover. */
export const apiKeyOnTokenCall: Rule = (input, facts) => {
  if (!isTokenCall(input.kind)) return null;
  const auth = facts.requestHeader('authorization');
  if (!auth || !/^api-key\b/i.test(auth.trim())) return null;
  return {
    rule: 'api_key_on_token_call',
    severity: 'warning',
    title: 'The token request carried an API-Key Authorization header',
    cause:
      'The token endpoint needs no Authorization header (the client authenticates with client_id and client_secret in the form). The official Node SDK attaches its apiKey auth method to every call, the token call included, when the configuration has one: your API key travels, and may be logged, where it is not needed.',
    next: 'Use a configuration without apiKey for OAuth20AuthenticationApi (createConfiguration({ baseServer }) only), and one with oauth2: { accessToken } for the API calls.',
    evidence: ['Request header: Authorization: API-Key …'],
    docs: DOCS.accessToken,
  };
};

/**
 * Two calls this close are "at once" even when one answered before the other started: against a
 * fast upstream, two workers that fire together still get answered one after the other.
 */
export const AT_ONCE_MS = 100;

/** Whether `o` was under way at some moment this call was. */
function overlaps(input: TriageInput, o: WireEntry): boolean {
  const start = input.call.startedAt;
  return o.at <= start + input.call.durationMs && o.at + o.durationMs >= start;
}

/** The recording's calls that overlapped this one in time, or started within AT_ONCE_MS of it. */
function overlapping(input: TriageInput, others: readonly WireEntry[]): WireEntry[] {
  const start = input.call.startedAt;
  return others.filter((o) => overlaps(input, o) || Math.abs(o.at - start) <= AT_ONCE_MS);
}

/**
 * How far apart `o` and this call started, when they were "at once" without being under way
 * together (a fast upstream answers two workers that fire together one after the other): "12 ms
 * before this call started". Null when they overlapped.
 */
function apart(input: TriageInput, o: WireEntry): string | null {
  if (overlaps(input, o)) return null;
  const ms = Math.round(o.at - input.call.startedAt);
  return `${Math.abs(ms)} ms ${ms < 0 ? 'before' : 'after'} this call started`;
}

/**
 * What the recording proves about the pair the first exchange returned: replaced by a refresh it
 * shows, or not refreshed in it. Never "still good": a refresh outside the recording is possible.
 */
function firstPairNow(first: WireEntry, others: readonly WireEntry[]): string {
  const issued = first.fingerprints.newRefreshToken;
  const refresh = issued
    ? others.find(
        (o) => o.kind === 'refresh' && o.outcome === 'ok' && o.fingerprints.refreshToken === issued,
      )
    : undefined;
  return refresh
    ? ` The pair from the first exchange was replaced by ${refresh.label} at ${clock(refresh.at)}: keep that refresh's tokens.`
    : ' Nothing in this recording refreshed the pair from the first exchange, so use it rather than authorizing again (unless it was refreshed elsewhere).';
}

/** The same code sent in two exchanges: the second gets invalid_grant. */
export const codeExchangedTwice: Rule = (input, facts) => {
  const wire = input.context.wire;
  const code = wire?.sent.code;
  if (input.kind !== 'exchange' || facts.error !== 'invalid_grant' || !wire || !code) return null;
  if (input.context.code) return null; // The app's own exchange: codeReused knows more.
  const same = wire.others.filter((o) => o.kind === 'exchange' && o.fingerprints.code === code);
  const first =
    same.find((o) => o.outcome === 'ok') ?? same.find((o) => o.at < input.call.startedAt);
  if (!first) return null;
  const concurrent = overlapping(input, [first]).length > 0;
  return {
    rule: 'code_reused',
    severity: 'error',
    title: 'This code was exchanged twice',
    cause:
      `PandaDoc codes work once. ${capital(first.label)} sent the same code at ${clock(first.at)}` +
      (first.outcome === 'ok' ? ' and got the tokens' : ` (${first.errorCode ?? 'no answer'})`) +
      (concurrent
        ? `, ${apart(input, first) ?? 'while this call was still under way'}: two handlers (or a retry) raced with one code.`
        : ', so this second exchange is refused with invalid_grant.'),
    next:
      'Exchange each code once: guard the callback handler against running twice (a page reload, a double-submitted form, a retry on timeout) and keep the tokens from the first exchange.' +
      (first.outcome === 'ok' ? firstPairNow(first, wire.others) : ''),
    evidence: [
      `Code ${code} was sent by ${first.label} at ${clock(first.at)} (${first.outcome === 'ok' ? 'it worked' : (first.errorCode ?? 'failed')}) and again by this call at ${clock(input.call.startedAt)}.`,
      ...(first.fingerprints.newAccessToken
        ? [`That exchange returned access token ${first.fingerprints.newAccessToken}.`]
        : []),
    ],
    docs: DOCS.accessToken,
  };
};

/** Two refreshes with one refresh token at the same time: one wins, the other gets invalid_grant. */
export const refreshRace: Rule = (input, facts) => {
  const wire = input.context.wire;
  const token = wire?.sent.refreshToken;
  if (input.kind !== 'refresh' || facts.error !== 'invalid_grant' || !wire || !token) return null;
  const winner = overlapping(input, wire.others).find(
    (o) => o.kind === 'refresh' && o.fingerprints.refreshToken === token && o.outcome === 'ok',
  );
  if (!winner) return null;
  return {
    rule: 'refresh_race',
    severity: 'error',
    title: 'Two callers refreshed with the same refresh token at once',
    cause: `${capital(winner.label)} refreshed with the same refresh token ${apart(input, winner) ?? 'while this call was under way'}, and won: PandaDoc rotated the token for it and killed the old one, so this call got invalid_grant. If the winner's new refresh token was not stored where this caller reads it, access is lost.`,
    next: 'Refresh in one place only, under a lock (or a single-flight promise) shared by every worker, and store the new refresh token before using the new access token.',
    evidence: [
      `Refresh token ${token} was sent by ${winner.label} at ${clock(winner.at)} (worked${winner.fingerprints.newRefreshToken ? `, new refresh token ${winner.fingerprints.newRefreshToken}` : ''}) and by this call at ${clock(input.call.startedAt)}.`,
      `The two calls started ${Math.abs(input.call.startedAt - winner.at)} ms apart (they took ${Math.round(winner.durationMs)} ms and ${Math.round(input.call.durationMs)} ms).`,
    ],
    docs: DOCS.refresh,
  };
};

/** What the Bearer header looks like when it is not `Bearer <token>`; null when it looks right. */
export function bearerProblem(value: string): string | null {
  if (/[\r\n]/.test(value)) return 'it contains a line break';
  if (/\\n|%0a|%0d/i.test(value)) return 'it contains an escaped line break (\\n or %0A)';
  const match = /^\s*bearer\s+(.*)$/is.exec(value);
  if (!match) return null;
  const token = match[1] ?? '';
  if (/^["'].*["']?$|["']$/.test(token.trim())) return 'the token is wrapped in quotes';
  if (/^bearer\s/i.test(token)) return 'it says Bearer twice';
  if (/\s/.test(token.trim())) return 'the token has a space in it';
  if (token !== token.trim() || /^\s/.test(value)) return 'it has stray spaces around the token';
  return null;
}

export const bearerMalformed: Rule = (input, facts) => {
  if (input.kind !== 'verify' || !failed(facts)) return null;
  const auth = facts.requestHeader('authorization');
  const problem = auth ? bearerProblem(auth) : null;
  if (!auth || !problem) return null;
  return {
    rule: 'bearer_malformed',
    severity: 'error',
    title: 'The Authorization header is not "Bearer <token>"',
    cause: `PandaDoc compares the token after "Bearer " character for character, and ${problem}. A token read from a file or an environment variable often keeps its newline or quotes.`,
    next: 'Trim the token and send exactly Authorization: Bearer <40 hex characters>, with no quotes and nothing after it.',
    evidence: [
      `Header as sent: ${JSON.stringify(auth.replace(/(bearer\s+["']?)(\w{4})\w+(\w{4})/i, '$1$2…$3'))}`,
    ],
    docs: DOCS.bearer,
  };
};

/** A token issued by one region used in the other: it is unknown there. */
export const regionMismatch: Rule = (input, facts) => {
  const wire = input.context.wire;
  if (!wire?.upstream || wire.upstream === 'simulator' || !failed(facts)) return null;
  const refused =
    (input.kind === 'verify' && (facts.status === 401 || facts.status === 403)) ||
    (input.kind === 'refresh' && facts.error === 'invalid_grant');
  if (!refused) return null;
  const sent = input.kind === 'verify' ? wire.sent.accessToken : wire.sent.refreshToken;
  if (!sent) return null;
  const issuer = wire.others.find(
    (o) =>
      o.at < input.call.startedAt &&
      o.outcome === 'ok' &&
      (input.kind === 'verify'
        ? o.fingerprints.newAccessToken === sent
        : o.fingerprints.newRefreshToken === sent),
  );
  if (!issuer?.upstream || issuer.upstream === wire.upstream) return null;
  const what = input.kind === 'verify' ? 'access token' : 'refresh token';
  return {
    rule: 'region_mismatch',
    severity: 'error',
    title: `This ${what} belongs to ${regionName(issuer.upstream)}, but the call went to ${regionName(wire.upstream)}`,
    cause: `PandaDoc's regions share nothing: accounts, apps and tokens live in one region only. The ${what} came from ${issuer.label}, sent to ${regionName(issuer.upstream)}; ${regionName(wire.upstream)} does not know it.`,
    next: `Send every call of this grant to ${environmentInfo(issuer.upstream, '').apiBase} (with the SDK: one ServerConfiguration for the token and the API calls).`,
    evidence: [
      `${what} ${sent} was issued by ${issuer.label} at ${clock(issuer.at)} (${regionName(issuer.upstream)}).`,
      `This call went to ${regionName(wire.upstream)}.`,
    ],
    docs: DOCS.authentication,
  };
};
