/**
 * Evidence in, diagnosis out: the story, its timeline, the triage on every call and the
 * whole-recording rules, merged so one problem is told once, with the entries it rests on.
 */
import type { UpstreamExchange } from '../api/wire.ts';
import { createScrubber } from '../report/scrub.ts';
import { analyzeStory, type AnalyzedItem } from './analyze.ts';
import { runRecordingRules } from './rules/index.ts';
import { entryLabel } from './rules/shared.ts';
import { secretsOf } from './secrets.ts';
import { buildStory } from './story.ts';
import type { Evidence, EvidenceDiagnosis, EvidenceReport } from './types.ts';

/** Per-call triage findings a whole-recording finding on the same entry already explains. */
const SUPERSEDES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  code_reused: ['code_reused', 'invalid_grant_unclear', 'code_expired'],
  refresh_race: ['refresh_race', 'refresh_rotated', 'invalid_grant_unclear'],
  token_after_refresh: ['api_unauthorized', 'api_forbidden'],
  json_body: ['json_body', 'missing_field'],
  region_mismatch: ['region_mismatch', 'invalid_grant_unclear', 'wrong_secret', 'wrong_client'],
  burst_429: ['rate_limited'],
  scope_differs: ['scope_widened'],
});

/** Code-specific readings make no sense when the evidence does not say it was an exchange. */
const CODE_ONLY = new Set(['code_reused', 'code_expired', 'invalid_grant_unclear', 'wrong_client']);

function unknownGrant(a: AnalyzedItem): EvidenceDiagnosis {
  return {
    rule: 'invalid_grant_unclear',
    severity: 'error',
    title: 'PandaDoc refused the code or refresh token (invalid_grant)',
    cause:
      'The evidence does not show whether this was an exchange or a refresh. PandaDoc answers invalid_grant when the code is unknown, older than 10 minutes, already exchanged, or another app’s, and when the refresh token is unknown, already used (each refresh rotates it) or another app’s.',
    next: 'Ask which call this was. For an exchange: start again at authorize and exchange the new code once, within 10 minutes. For a refresh: use the newest refresh token, refresh in one place only; if none works, authorize again.',
    evidence: [`${entryLabel(a)}: ${a.step.summary}`],
    docs: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2',
    entries: [a.entry],
  };
}

function perCall(items: readonly AnalyzedItem[]): EvidenceDiagnosis[] {
  const out: EvidenceDiagnosis[] = [];
  for (const a of items) {
    let found = a.triage.map((d): EvidenceDiagnosis => ({
      ...d,
      evidence: [`${entryLabel(a)}: ${a.step.summary}`, ...d.evidence],
      entries: [a.entry],
    }));
    if (a.kind === 'token' && found.some((d) => CODE_ONLY.has(d.rule))) {
      found = [...found.filter((d) => !CODE_ONLY.has(d.rule)), unknownGrant(a)];
    }
    out.push(...found);
  }
  return out;
}

/** Same finding on several calls (ten 401s): one diagnosis naming every entry. */
function mergeSame(list: EvidenceDiagnosis[]): EvidenceDiagnosis[] {
  const byKey = new Map<string, EvidenceDiagnosis>();
  for (const d of list) {
    const key = `${d.rule}\u0000${d.title}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...d });
    else {
      seen.entries = [...new Set([...seen.entries, ...d.entries])].sort((x, y) => x - y);
      if (seen.evidence.length < 8) seen.evidence = [...seen.evidence, ...d.evidence.slice(0, 1)];
    }
  }
  return [...byKey.values()];
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

export function mergeDiagnoses(
  recording: EvidenceDiagnosis[],
  calls: EvidenceDiagnosis[],
): EvidenceDiagnosis[] {
  const kept = calls.filter(
    (c) =>
      !recording.some(
        (r) => SUPERSEDES[r.rule]?.includes(c.rule) && c.entries.some((e) => r.entries.includes(e)),
      ),
  );
  return mergeSame([...recording, ...kept]).sort(
    (x, y) => RANK[x.severity] - RANK[y.severity] || (x.entries[0] ?? 0) - (y.entries[0] ?? 0),
  );
}

export async function diagnoseEvidence(evidence: Evidence): Promise<EvidenceReport> {
  const story = buildStory(evidence.entries, evidence.total);
  const items = await analyzeStory(story);
  const diagnoses = mergeDiagnoses(runRecordingRules(items), perCall(items));
  const report: EvidenceReport = {
    source: evidence.source,
    detail: evidence.detail,
    total: evidence.total,
    setAside: story.setAside,
    notes: evidence.notes,
    timeline: items.map((a) => a.step),
    diagnoses,
  };
  // Fingerprints only: anything a rule quoted raw is replaced, and checked once more.
  const scrub = await createScrubber(story.items.flatMap(secretsOf));
  const clean = scrub.json(report);
  if (scrub.leaks(JSON.stringify(clean)).length) throw new Error('evidence scrub failed');
  return clean;
}

/** The same diagnosis over any list of recorded calls (live traffic, the app's own calls). */
export function diagnoseExchanges(exchanges: readonly UpstreamExchange[]): Promise<EvidenceReport> {
  return diagnoseEvidence({
    source: 'har',
    detail: `${exchanges.length} recorded calls`,
    entries: exchanges.map((exchange, i) => ({ entry: i + 1, exchange, timed: true })),
    total: exchanges.length,
    notes: [],
  });
}

/** A problem worth acting on: an error or a warning (info is context). */
export const hasProblem = (r: EvidenceReport) => r.diagnoses.some((d) => d.severity !== 'info');
