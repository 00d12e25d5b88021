import type { SimulatorSettings } from './api/simulator.ts';
import type { DiagnosisRule } from './triage/types.ts';

/**
 * Failure drills: each sets the simulator (and sometimes the profile) up to misbehave the way
 * PandaDoc or a broken integration does; the user then runs the flow into it, and the triage
 * has to name the cause. Pure data: the Drills panel applies them.
 */
export interface Drill {
  id: string;
  title: string;
  /** What goes wrong in real life. */
  story: string;
  /** What the user does once it is set up. */
  then: string;
  /** The step whose diagnosis names the cause. */
  step: 'Authorize' | 'Code' | 'Exchange' | 'Use' | 'Refresh';
  expected: DiagnosisRule;
  /** Needs a captured code, tokens, or nothing before it is set up. */
  needs: 'nothing' | 'code' | 'tokens';
  setup: {
    simulator?: Partial<SimulatorSettings>;
    /** Move the simulator's clock forward. */
    advanceClockMs?: number;
    /** Latency past the server's upstream timeout (the server tells how long that is). */
    pastTimeout?: boolean;
    profile?: { redirectUri?: 'trailing-slash'; scope?: string };
    /** A client secret typed in the browser, overriding the one the server holds. */
    secret?: string;
    /** Send token requests as JSON instead of a form. */
    jsonBody?: boolean;
    /** Send two refreshes with the same token at once, bypassing the tab lock. */
    race?: boolean;
  };
}

const DAY = 24 * 60 * 60_000;

export const DRILLS: readonly Drill[] = [
  {
    id: 'reused-code',
    title: 'Reused code',
    story: 'An integration retries its exchange, or a user reloads the callback page.',
    then: 'Exchange the code at step 4, then press “Send the used code again”.',
    step: 'Exchange',
    expected: 'code_reused',
    needs: 'code',
    setup: {},
  },
  {
    id: 'expired-code',
    title: 'Expired code',
    story: 'The code sat in a queue for more than 10 minutes before the exchange.',
    then: 'The simulator’s clock is now 11 minutes ahead: exchange the code at step 4.',
    step: 'Exchange',
    expected: 'code_expired',
    needs: 'code',
    setup: { advanceClockMs: 11 * 60_000 },
  },
  {
    id: 'refresh-race',
    title: 'Refresh token used twice',
    story: 'Two workers refresh with the same refresh token at the same time.',
    then: 'Two refreshes were just sent at once with the same token; see step 7.',
    step: 'Refresh',
    expected: 'refresh_rotated',
    needs: 'tokens',
    setup: { race: true },
  },
  {
    id: 'redirect-mismatch',
    title: 'redirect_uri mismatch',
    story: 'The redirect URI in the code differs from the app settings by one character.',
    then: 'The profile’s redirect_uri now ends in “/”: build the authorize URL at step 2.',
    step: 'Authorize',
    expected: 'redirect_uri_mismatch',
    needs: 'nothing',
    setup: { profile: { redirectUri: 'trailing-slash' } },
  },
  {
    id: 'wrong-secret',
    title: 'Wrong client secret',
    story: 'A secret from another app, or with a stray character, is deployed.',
    then: 'A wrong secret is now typed in the profile: exchange a code at step 4.',
    step: 'Exchange',
    expected: 'wrong_secret',
    needs: 'code',
    setup: { secret: 'not-the-right-secret' },
  },
  {
    id: 'bad-scope',
    title: 'Bad scope name',
    story: 'A client copied an OpenID Connect scope list that PandaDoc does not know.',
    then: 'The profile now asks for “read+write openid”: build the authorize URL at step 2.',
    step: 'Authorize',
    expected: 'bad_scope_name',
    needs: 'nothing',
    setup: { profile: { scope: 'read+write openid' } },
  },
  {
    id: 'json-body',
    title: 'JSON body',
    story: 'A client sends the token request as JSON, as most APIs expect. PandaDoc wants a form.',
    then: 'Token requests now go out as JSON: exchange a code at step 4.',
    step: 'Exchange',
    expected: 'json_body',
    needs: 'code',
    setup: { jsonBody: true },
  },
  {
    id: 'access-denied',
    title: 'Access denied',
    story: 'The user clicks Deny on PandaDoc’s consent screen.',
    then: 'Build the authorize URL, open it, and press Deny.',
    step: 'Code',
    expected: 'access_denied',
    needs: 'nothing',
    setup: {},
  },
  {
    id: 'rate-limited',
    title: 'Rate limited',
    story: 'Too many API calls for one user within 60 seconds.',
    then: 'The API now answers 429: call members/current at step 6.',
    step: 'Use',
    expected: 'rate_limited',
    needs: 'tokens',
    setup: { simulator: { fault: 'rate_limited', faultTarget: 'members', faultOnce: true } },
  },
  {
    id: 'expired-token',
    title: 'API 401: token expired',
    story: 'An access token is used after its expires_in has run out.',
    then: 'The simulator’s clock is now 366 days ahead: call members/current at step 6.',
    step: 'Use',
    expected: 'api_unauthorized',
    needs: 'tokens',
    setup: { advanceClockMs: 366 * DAY },
  },
  {
    id: 'server-error',
    title: 'Upstream 5xx',
    story: 'PandaDoc has a bad moment and answers 500.',
    then: 'The next token call gets a 500: exchange a code at step 4.',
    step: 'Exchange',
    expected: 'upstream_5xx',
    needs: 'code',
    setup: { simulator: { fault: 'server_error', faultTarget: 'token', faultOnce: true } },
  },
  {
    id: 'html-page',
    title: 'HTML error page',
    story: 'A load balancer or proxy answers with its own HTML page instead of JSON.',
    then: 'The next token call gets an HTML page: exchange a code at step 4.',
    step: 'Exchange',
    // A 502 page from a load balancer is first a server error; the diagnosis names the HTML.
    expected: 'upstream_5xx',
    needs: 'code',
    setup: { simulator: { fault: 'html', faultTarget: 'token', faultOnce: true } },
  },
  {
    id: 'slow-upstream',
    title: 'Slow upstream',
    story: 'The token endpoint takes longer than the client is willing to wait.',
    then: 'The simulator now answers after the local server’s timeout: exchange a code at step 4.',
    step: 'Exchange',
    expected: 'upstream_timeout',
    needs: 'code',
    setup: { pastTimeout: true },
  },
];
