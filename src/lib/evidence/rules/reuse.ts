/**
 * Credentials used more than once: a code exchanged twice, a callback page loaded twice, one refresh
 * token sent by two workers, an access token used after the refresh that replaced it.
 */
import { DOCS } from '../../triage/types.ts';
import { isApiKind, isTokenKind, type AnalyzedItem } from '../analyze.ts';
import {
  endOf,
  entriesOf,
  entryLabel,
  entryList,
  repeated,
  span,
  type RecordingRuleFn,
} from './shared.ts';

const codeOf = (a: AnalyzedItem) => a.prints.code;
/** Races are milliseconds apart: say so rather than "0 s". */
const gap = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : span(ms));

export const codeExchangedTwice: RecordingRuleFn = (items) => {
  const out = [];
  const exchanges = items.filter((a) => isTokenKind(a.kind) && a.kind !== 'refresh');
  for (const [fp, sent] of repeated(exchanges, codeOf)) {
    const loads = items.filter((a) => a.kind === 'callback' && a.prints.code === fp);
    const worked = sent.find((a) => a.verdict?.outcome === 'ok');
    const refused = sent.filter((a) => a.verdict?.errorCode === 'invalid_grant');
    const evidence = sent.map(
      (a) => `${entryLabel(a)}: exchange of code ${fp} → ${a.step.summary}`,
    );
    if (loads.length > 1)
      evidence.unshift(
        `The callback page was loaded ${loads.length} times with this code: ${entryList(loads)}.`,
      );
    out.push({
      rule: 'code_reused' as const,
      severity: 'error' as const,
      title: `The same code was exchanged ${sent.length} times`,
      cause:
        `PandaDoc codes work once. ${worked ? `The exchange in ${entryLabel(worked)} used it up` : 'The first exchange used it up'}` +
        (refused.length ? `, so ${entryList(refused)} got invalid_grant.` : '.') +
        (loads.length > 1
          ? ' The callback page was loaded more than once (a reload, the back button, or a framework rendering it twice), and each load exchanged the code.'
          : ' The code was sent again: a retried or duplicated exchange.'),
      next: worked
        ? 'Keep the tokens from the exchange that worked. Exchange each code exactly once: remember which codes were exchanged, make the callback handler ignore a second load, and never retry an exchange that succeeded.'
        : 'Start again at authorize for a fresh code, and exchange it exactly once.',
      evidence,
      docs: DOCS.accessToken,
      entries: entriesOf(loads, sent),
    });
  }
  return out;
};

export const callbackTwice: RecordingRuleFn = (items) => {
  const exchangedTwice = new Set(
    repeated(
      items.filter((a) => isTokenKind(a.kind)),
      codeOf,
    ).keys(),
  );
  const callbacks = items.filter((a) => a.kind === 'callback');
  return [...repeated(callbacks, codeOf)]
    .filter(([fp]) => !exchangedTwice.has(fp))
    .map(([fp, loads]) => ({
      rule: 'callback_twice' as const,
      severity: 'warning' as const,
      title: 'The callback page was loaded twice with the same code',
      cause: `The redirect with code ${fp} was loaded ${loads.length} times. If each load exchanges the code, every load after the first fails with invalid_grant (codes work once).`,
      next: 'Make the callback idempotent: exchange a code once, then redirect to a page without the code in its URL.',
      evidence: loads.map((a) => `${entryLabel(a)}: ${a.step.where}`),
      docs: DOCS.accessToken,
      entries: entriesOf(loads),
    }));
};

export const refreshRace: RecordingRuleFn = (items) => {
  const refreshes = items.filter((a) => a.kind === 'refresh');
  return [...repeated(refreshes, (a) => a.prints.refreshToken)].map(([fp, sent]) => {
    const [first, second] = sent;
    const overlap = !!first && !!second && second.exchange.startedAt < endOf(first);
    const won = sent.find((a) => a.verdict?.outcome === 'ok');
    const lost = sent.filter((a) => a.verdict?.errorCode === 'invalid_grant');
    const evidence = sent.map((a) => `${entryLabel(a)}: refresh with ${fp} → ${a.step.summary}`);
    if (overlap && first && second)
      evidence.push(
        `${entryLabel(second)} started ${gap(second.exchange.startedAt - first.exchange.startedAt)} after ${entryLabel(first)}, before its answer came.`,
      );
    return {
      rule: 'refresh_race' as const,
      severity: 'error' as const,
      title: overlap
        ? 'Two refreshes raced with the same refresh token'
        : `One refresh token was used ${sent.length} times`,
      cause:
        `Each refresh rotates: it returns a new refresh token and kills the one sent, with its access token.` +
        (overlap
          ? ' Two workers (or tabs, or threads) refreshed at the same time with the same token: one wins, the other gets invalid_grant.'
          : ' The token was sent again after it had been used, so only the first use could work.') +
        (won
          ? ` The refresh in ${entryLabel(won)} won${won.prints.newRefreshToken ? ` and returned ${won.prints.newRefreshToken}` : ''}.`
          : '') +
        (lost.length ? ` ${entryList(lost)} got invalid_grant.` : ''),
      next: won
        ? `Keep using the pair from ${entryLabel(won)} and store its new refresh token before using the new access token. Refresh in one place only, under a lock (or a single-flight promise), and have other workers wait for it.`
        : 'Find the newest refresh token your system holds; if none works, authorize again. Refresh in one place only, under a lock.',
      evidence,
      docs: DOCS.refresh,
      entries: entriesOf(sent),
    };
  });
};

export const tokenAfterRefresh: RecordingRuleFn = (items) => {
  const out = [];
  const byToken = new Map<string, AnalyzedItem[]>();
  for (const a of items) {
    const fp = a.prints.accessToken;
    if (!isApiKind(a.kind) || !fp) continue;
    const issuer = items.find((b) => isTokenKind(b.kind) && b.prints.newAccessToken === fp);
    const partner = issuer?.prints.newRefreshToken;
    const killer = partner
      ? items.find(
          (b) =>
            b.kind === 'refresh' &&
            b.verdict?.outcome === 'ok' &&
            b.prints.refreshToken === partner &&
            endOf(b) <= a.exchange.startedAt,
        )
      : undefined;
    if (!issuer || !killer) continue;
    byToken.set(fp, [...(byToken.get(fp) ?? []), a]);
  }
  for (const [fp, used] of byToken) {
    const issuer = items.find((b) => b.prints.newAccessToken === fp) as AnalyzedItem;
    const killer = items.find(
      (b) =>
        b.kind === 'refresh' &&
        b.verdict?.outcome === 'ok' &&
        b.prints.refreshToken === issuer.prints.newRefreshToken,
    ) as AnalyzedItem;
    const failed = used.filter((a) => a.verdict?.outcome === 'error');
    out.push({
      rule: 'token_after_refresh' as const,
      severity: failed.length ? ('error' as const) : ('warning' as const),
      title: 'An access token was used after the refresh that replaced it',
      cause: `Access token ${fp} came from ${entryLabel(issuer)}. Its refresh token was used in ${entryLabel(killer)}, which killed it at once; ${entryList(used)} still sent it${failed.length ? ` and ${failed.length === 1 ? 'was' : 'were'} refused` : ''}.`,
      next: `After a refresh, use the new access token${killer.prints.newAccessToken ? ` (${killer.prints.newAccessToken})` : ''} everywhere: store the new pair first, then make every worker read the token from that store instead of keeping its own copy.`,
      evidence: [
        `${entryLabel(issuer)} returned access token ${fp}${issuer.prints.newRefreshToken ? ` with refresh token ${issuer.prints.newRefreshToken}` : ''}.`,
        `${entryLabel(killer)} refreshed with that refresh token → ${killer.step.summary}.`,
        ...used.map(
          (a) =>
            `${entryLabel(a)}: ${a.step.method} ${a.step.where} with ${fp} → ${a.step.summary}`,
        ),
      ],
      docs: DOCS.refresh,
      entries: entriesOf([issuer, killer], used),
    });
  }
  return out;
};
