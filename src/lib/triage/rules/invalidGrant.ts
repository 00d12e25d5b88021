/**
 * invalid_grant: PandaDoc says the same thing for an unknown, expired, used or other client's code or
 * refresh token. These rules look for evidence in the session that names which; the last one admits
 * when there is none.
 */
import { attemptOf, clock, describeAttempt, span, type CallFacts, type Rule } from '../facts.ts';
import type { HistoryLike } from '../history.ts';
import { DOCS, type TriageInput } from '../types.ts';

import { CODE_LIFETIME_MS } from '../../oauth/pandadoc.ts';

const isInvalidGrant = (facts: CallFacts) => facts.error === 'invalid_grant';
const sentClientId = (input: TriageInput, facts: CallFacts) =>
  facts.form?.get('client_id') ?? input.context.profile.clientId;

/** Earlier calls that sent the same code / refresh token. */
function sameSecret(input: TriageInput, facts: CallFacts): HistoryLike[] {
  const { code, refreshTokenFingerprint } = input.context;
  if (input.kind === 'exchange' && code) {
    return facts.earlier.filter(
      (h) => h.kind === 'exchange' && h.fingerprints.code === code.fingerprint,
    );
  }
  if (input.kind === 'refresh' && refreshTokenFingerprint) {
    return facts.earlier.filter(
      (h) =>
        (h.kind === 'refresh' || h.kind === 'check') &&
        h.fingerprints.refreshToken === refreshTokenFingerprint,
    );
  }
  return [];
}

/** The refresh that traded in the refresh token `entry` returned, if this session made one. */
function rotatedBy(earlier: readonly HistoryLike[], entry: HistoryLike): HistoryLike | undefined {
  const issued = entry.fingerprints.newRefreshToken;
  if (!issued) return undefined;
  return earlier.find(
    (h) =>
      h.kind === 'refresh' &&
      h.outcome === 'ok' &&
      h.at > entry.at &&
      h.fingerprints.refreshToken === issued,
  );
}

export const codeReused: Rule = (input, facts) => {
  if (input.kind !== 'exchange' || !isInvalidGrant(facts) || !input.context.code) return null;
  const fp = input.context.code.fingerprint;
  const same = sameSecret(input, facts);
  const ok = same.find((h) => h.outcome === 'ok');
  const unanswered = same.find((h) => h.status === null);
  const first = ok ?? unanswered;
  if (!first) return null;
  const ago = span(input.call.startedAt - first.at);
  const evidence = ok
    ? [
        `This code (${fp}) was exchanged successfully in ${describeAttempt(facts.earlier, ok)}, ${ago} before this attempt.`,
      ]
    : [
        `This code (${fp}) was sent in ${describeAttempt(facts.earlier, first)}, ${ago} before this attempt, and no answer came back (${first.errorCode ?? 'no status'}).`,
      ];
  if (ok?.fingerprints.newAccessToken) {
    evidence.push(
      `That exchange returned access token ${ok.fingerprints.newAccessToken}${ok.fingerprints.newRefreshToken ? ` and refresh token ${ok.fingerprints.newRefreshToken}` : ''}.`,
    );
  }
  // Whether that pair still works is only known from what came after: a refresh rotates it.
  const rotated = ok && rotatedBy(facts.earlier, ok);
  if (rotated) {
    evidence.push(
      `The refresh at ${clock(rotated.at)} (attempt ${attemptOf(facts.earlier, rotated)}) traded that refresh token for a new pair, so the pair from the exchange no longer works.`,
    );
  }
  return {
    rule: 'code_reused',
    severity: 'error',
    title: 'This code was already exchanged',
    cause: ok
      ? `PandaDoc codes work once. This one was exchanged at ${clock(ok.at)}, so PandaDoc now refuses it with invalid_grant.${rotated ? ` The tokens from that exchange were replaced by the refresh at ${clock(rotated.at)}; the newest pair is the one that works.` : ' Nothing this session did since has replaced the tokens from that exchange.'}`
      : `PandaDoc codes work once. An earlier exchange with this code got no answer, but PandaDoc most likely used the code then, so it now refuses it.`,
    next: ok
      ? `${rotated ? 'Use the newest pair (from the latest refresh).' : 'Use the tokens from the first exchange (or refresh them).'} For a new code, start again at Authorize. In your own code, exchange each code once and never retry an exchange that succeeded.`
      : 'Start again at Authorize for a fresh code.',
    evidence,
    docs: DOCS.accessToken,
  };
};

export const wrongClient: Rule = (input, facts) => {
  if (!isInvalidGrant(facts)) return null;
  const sent = sentClientId(input, facts);
  if (input.kind === 'exchange') {
    const issuedTo = input.context.code?.clientId;
    if (!issuedTo || issuedTo === sent) return null;
    return {
      rule: 'wrong_client',
      severity: 'error',
      title: 'The code belongs to another app (client_id)',
      cause: `A code is bound to the client_id that asked for it at the authorize step. This one was issued to ${issuedTo}, but the exchange was sent as ${sent}, so PandaDoc answers invalid_grant.`,
      next: `Exchange the code with client_id ${issuedTo} and that app's secret, or authorize again with ${sent}.`,
      evidence: [
        `client_id in the authorize request: ${issuedTo}`,
        `client_id in this exchange: ${sent}`,
      ],
      docs: DOCS.codeGrant,
    };
  }
  if (input.kind === 'refresh') {
    const fp = input.context.refreshTokenFingerprint;
    const issuer = fp
      ? facts.earlier.find((h) => h.fingerprints.newRefreshToken === fp)
      : undefined;
    if (!issuer?.clientId || issuer.clientId === sent) return null;
    return {
      rule: 'wrong_client',
      severity: 'error',
      title: 'The refresh token belongs to another app (client_id)',
      cause: `A refresh token works only for the client_id it was issued to. This one came from ${describeAttempt(facts.earlier, issuer)} for ${issuer.clientId}, but the refresh was sent as ${sent}.`,
      next: `Refresh with client_id ${issuer.clientId} and that app's secret.`,
      evidence: [
        `Refresh token ${fp} was issued to ${issuer.clientId} at ${clock(issuer.at)}.`,
        `client_id in this refresh: ${sent}`,
      ],
      docs: DOCS.refreshing,
    };
  }
  return null;
};

export const codeExpired: Rule = (input, facts) => {
  const code = input.context.code;
  if (input.kind !== 'exchange' || !isInvalidGrant(facts) || !code) return null;
  // Measured on the upstream's clock when its Date header says it differs from ours.
  const age = facts.upstreamNow - code.capturedAt;
  if (age <= CODE_LIFETIME_MS) return null;
  const evidence = [
    `The code (${code.fingerprint}) arrived at ${clock(code.capturedAt)}; this exchange was sent at ${clock(input.call.startedAt)}, ${span(age)} later.`,
  ];
  if (facts.clockSkewMs) {
    evidence[0] = `The code (${code.fingerprint}) arrived at ${clock(code.capturedAt)}; by the upstream's clock this exchange came ${span(age)} later.`;
    evidence.push(
      `The upstream's Date header is ${span(Math.abs(facts.clockSkewMs))} ${facts.clockSkewMs > 0 ? 'ahead of' : 'behind'} this browser's clock.`,
    );
  }
  if (code.authorizedAt !== undefined)
    evidence.push(`The authorize request started at ${clock(code.authorizedAt)}.`);
  return {
    rule: 'code_expired',
    severity: 'error',
    title: 'The code expired before it was exchanged',
    cause: `PandaDoc codes are valid for 10 minutes. This one was at least ${span(age)} old when the exchange was sent.`,
    next: 'Start again at Authorize and exchange the new code right away. In your own code, exchange in the redirect handler, not later.',
    evidence,
    docs: DOCS.codeGrant,
  };
};

export const refreshRotated: Rule = (input, facts) => {
  const fp = input.context.refreshTokenFingerprint;
  if (input.kind !== 'refresh' || !isInvalidGrant(facts) || !fp) return null;
  const same = sameSecret(input, facts);
  const used = same.find((h) => h.outcome === 'ok') ?? same.find((h) => h.status === null);
  if (!used) return null;
  const newest = [...facts.earlier]
    .reverse()
    .find((h) => h.outcome === 'ok' && h.fingerprints.newRefreshToken);
  const evidence = [
    used.outcome === 'ok'
      ? `Refresh token ${fp} was already used in ${describeAttempt(facts.earlier, used)}, ${span(input.call.startedAt - used.at)} before this attempt${used.fingerprints.newRefreshToken ? `; it returned refresh token ${used.fingerprints.newRefreshToken}` : ''}.`
      : `Refresh token ${fp} was sent in ${describeAttempt(facts.earlier, used)} and no answer came back; PandaDoc most likely rotated it then.`,
  ];
  if (newest?.fingerprints.newRefreshToken && newest.fingerprints.newRefreshToken !== fp) {
    evidence.push(
      `The newest refresh token this session holds is ${newest.fingerprints.newRefreshToken} (from ${describeAttempt(facts.earlier, newest)}).`,
    );
  }
  return {
    rule: 'refresh_rotated',
    severity: 'error',
    title: 'This refresh token was already used (rotated)',
    cause: `Every refresh gives a new refresh token and kills the old one and its access token at once.${used.outcome === 'ok' ? ` This one was used at ${clock(used.at)}.` : ''} Two workers refreshing with the same token hit exactly this: one wins, the other gets invalid_grant.`,
    next: 'Use the newest refresh token (and store it before using the new access token). If it is lost, authorize again. In your own code, refresh in one place only, under a lock.',
    evidence,
    docs: DOCS.refresh,
  };
};

export const invalidGrantUnclear: Rule = (input, facts) => {
  if (!isInvalidGrant(facts) || input.kind === 'verify') return null;
  const ruledOut: string[] = [];
  const evidence: string[] = [];
  const same = sameSecret(input, facts);
  const refused = same.find((h) => h.errorCode === 'invalid_grant');
  if (refused)
    evidence.push(`PandaDoc already refused it in ${describeAttempt(facts.earlier, refused)}.`);
  const env = input.context.profile.environment;
  const region =
    env === 'simulator'
      ? 'issued by the real PandaDoc, not this simulator'
      : `issued by ${env === 'us' ? 'PandaDoc EU or the simulator' : 'PandaDoc US or the simulator'}`;

  if (input.kind === 'exchange') {
    const code = input.context.code;
    if (code) {
      const age = input.call.startedAt - code.capturedAt;
      evidence.push(`The code (${code.fingerprint}) arrived ${span(age)} before this exchange.`);
      ruledOut.push('it is not expired by time (under 10 minutes)');
      if (code.clientId && code.clientId === sentClientId(input, facts))
        ruledOut.push('it was issued to this client_id');
      if (same.length === 0)
        ruledOut.push(
          'this debugger has not sent it before (another tool or your own backend still could have)',
        );
    } else {
      evidence.push(
        'This debugger has no record of where or when this code was issued (was it pasted?).',
      );
    }
    return {
      rule: 'invalid_grant_unclear',
      severity: 'error',
      title: 'PandaDoc refused the code (invalid_grant)',
      cause:
        `PandaDoc gives the same answer for four different problems, and this session has no evidence that tells them apart: the code is unknown (mistyped, cut short, or ${region}), older than 10 minutes, already exchanged once, or issued to another client_id. This debugger cannot tell which.` +
        (ruledOut.length ? ` What it can rule out: ${ruledOut.join('; ')}.` : ''),
      next: 'Start again at Authorize and exchange the new code once, within 10 minutes, with the same client_id.',
      evidence,
      docs: DOCS.tokenErrors,
    };
  }
  const fp = input.context.refreshTokenFingerprint;
  if (fp) {
    const issuer = facts.earlier.find((h) => h.fingerprints.newRefreshToken === fp);
    evidence.push(
      issuer
        ? `Refresh token ${fp} came from ${describeAttempt(facts.earlier, issuer)}.`
        : `This session has no record of where refresh token ${fp} came from.`,
    );
    if (same.length === 0)
      ruledOut.push(
        'this debugger has not used it before (another worker or your own backend still could have)',
      );
  }
  return {
    rule: 'invalid_grant_unclear',
    severity: 'error',
    title: 'PandaDoc refused the refresh token (invalid_grant)',
    cause:
      `PandaDoc gives the same answer whether the refresh token is unknown (mistyped, or ${region}), already used by an earlier refresh (each one works once), or issued to another client_id. This debugger cannot tell which. Refresh tokens do not expire by time.` +
      (ruledOut.length ? ` What it can rule out: ${ruledOut.join('; ')}.` : ''),
    next: 'Use the newest refresh token you hold; if none works, authorize again.',
    evidence,
    docs: DOCS.refresh,
  };
};
