/** PandaDoc API answers to `GET /public/v1/members/current`: the token is not accepted. */
import { environmentInfo } from '../../oauth/environments.ts';
import { preview } from '../../oauth/guards.ts';
import { clock, describeAttempt, span, type CallFacts, type Rule } from '../facts.ts';
import type { HistoryLike } from '../history.ts';
import { DOCS, type Diagnosis, type TriageInput } from '../types.ts';

/** Why this access token is dead, as far as the session shows: the refresh that replaced it. */
function tokenStory(
  input: TriageInput,
  facts: CallFacts,
): { evidence: string[]; killedBy?: HistoryLike } {
  const fp = input.context.accessTokenFingerprint;
  if (!fp) return { evidence: [] };
  const issuer = facts.earlier.find(
    (h) => h.outcome === 'ok' && h.fingerprints.newAccessToken === fp,
  );
  if (!issuer)
    return { evidence: [`This session has no record of where access token ${fp} came from.`] };
  const evidence = [`Access token ${fp} came from ${describeAttempt(facts.earlier, issuer)}.`];
  const partner = issuer.fingerprints.newRefreshToken;
  const killedBy = partner
    ? facts.earlier.find(
        (h) =>
          h.at > issuer.at &&
          h.outcome === 'ok' &&
          (h.kind === 'refresh' || h.kind === 'check') &&
          h.fingerprints.refreshToken === partner,
      )
    : undefined;
  if (killedBy) {
    evidence.push(
      `Its refresh token ${partner} was used in ${describeAttempt(facts.earlier, killedBy)}, which killed this access token.`,
    );
  }
  const worked = facts.earlier
    .filter((h) => h.kind === 'verify' && h.outcome === 'ok' && h.fingerprints.accessToken === fp)
    .at(-1);
  if (worked) evidence.push(`The same token worked in ${describeAttempt(facts.earlier, worked)}.`);
  return { evidence, killedBy };
}

function unauthorized(input: TriageInput, facts: CallFacts, status: number): Diagnosis {
  const { evidence, killedBy } = tokenStory(input, facts);
  evidence.unshift(
    `HTTP ${status}${facts.type ? ` ${facts.type}` : ''}${facts.detail ? `: "${preview(facts.detail, 120)}"` : ''}`,
  );
  const auth = facts.requestHeader('authorization');
  if (auth && !/^Bearer\s+\S/i.test(auth))
    evidence.push(
      `The Authorization header does not start with "Bearer " (it starts "${preview(auth.split(/\s/)[0] ?? '', 12)}").`,
    );
  if (!auth) evidence.push('No Authorization header was sent.');
  const env = input.context.profile.environment;
  const other = env === 'simulator' ? null : environmentInfo(env === 'us' ? 'eu' : 'us', '');
  const rule = status === 403 ? 'api_forbidden' : 'api_unauthorized';
  const expiresAt = input.context.accessTokenExpiresAt;
  if (!killedBy && expiresAt !== undefined && facts.upstreamNow >= expiresAt) {
    evidence.push(
      `The token response said it expires at ${new Date(expiresAt).toLocaleString()}; ` +
        (facts.clockSkewMs
          ? `by the upstream's clock (its Date header, ${span(Math.abs(facts.clockSkewMs))} ${facts.clockSkewMs > 0 ? 'ahead' : 'behind'}) that time has passed.`
          : 'that time has passed.'),
    );
    return {
      rule,
      severity: 'error',
      title: 'This access token has expired',
      cause: `Access tokens live for expires_in seconds (a year at PandaDoc). This one ran out ${span(facts.upstreamNow - expiresAt)} before the call.`,
      next: 'Refresh it with the refresh token: refresh tokens do not expire.',
      evidence,
      docs: DOCS.refresh,
    };
  }
  if (killedBy) {
    return {
      rule,
      severity: 'error',
      title: 'This access token was replaced by a refresh',
      cause: `A refresh kills the old access token at once. This one died at ${clock(killedBy.at)}, when its refresh token was used.`,
      next: 'Use the access token from the newest refresh.',
      evidence,
      docs: DOCS.refresh,
    };
  }
  return {
    rule,
    severity: 'error',
    title: `PandaDoc did not accept the access token (${status})`,
    cause:
      `PandaDoc answers ${status} when the Bearer token is missing, unknown, expired (after 365 days) or killed by a refresh` +
      (other ? `, or when it belongs to the other region (${other.label})` : '') +
      (status === 403
        ? ". PandaDoc's spec maps this endpoint's authentication error to 403; the live service answers 401."
        : '.') +
      ' This session shows nothing that says which.',
    next: 'Refresh with the newest refresh token and try again with the new access token; if the refresh fails too, authorize again.',
    evidence,
    docs: DOCS.bearer,
  };
}

export const apiUnauthorized: Rule = (input, facts) => {
  if (input.kind !== 'verify' || facts.status !== 401) return null;
  return unauthorized(input, facts, 401);
};

export const apiForbidden: Rule = (input, facts) => {
  if (input.kind !== 'verify' || facts.status !== 403) return null;
  // The spec's quirk: an authentication error on this path may come as 403.
  if (facts.type === 'authentication_error' || facts.type === null)
    return unauthorized(input, facts, 403);
  return {
    rule: 'api_forbidden',
    severity: 'error',
    title: 'PandaDoc accepted the token but refused the request (403)',
    cause: `The token is valid but this user or app may not do this: a scope (read vs write), role or license limit.`,
    next: "Check the granted scope on the Tokens step and the user's role in the workspace.",
    evidence: [`HTTP 403 ${facts.type}${facts.detail ? `: "${preview(facts.detail, 120)}"` : ''}`],
    docs: DOCS.currentMember,
  };
};
