/**
 * Evidence a customer sends (a HAR file, a pasted curl command, an HTTP dump, an SDK error, a JSON
 * body, an authorize or redirect URL), read into the app's one shape of a recorded call.
 */
import type { UpstreamExchange } from '../api/wire.ts';
import type { HistoryFingerprints } from '../triage/history.ts';
import type { Diagnosis, DiagnosisRule } from '../triage/types.ts';

/** What the evidence was recognised as. */
export type EvidenceSource =
  'har' | 'curl' | 'http' | 'sdk_error' | 'json_body' | 'authorize_url' | 'redirect_url';

export const SOURCE_LABEL: Readonly<Record<EvidenceSource, string>> = Object.freeze({
  har: 'a HAR file',
  curl: 'a curl command',
  http: 'a raw HTTP exchange',
  sdk_error: 'an error printed by the pandadoc-node-client SDK',
  json_body: 'a bare JSON body',
  authorize_url: 'an authorize URL',
  redirect_url: 'a redirect URL',
});

/**
 * One entry of the evidence that may belong to the OAuth story. `entry` is 1-based: "entry 12" is
 * the twelfth entry of the HAR (a paste is entry 1).
 */
export interface EvidenceEntry {
  entry: number;
  exchange: UpstreamExchange;
  /** False when the evidence carries no time of its own (a pasted curl command). */
  timed: boolean;
  /** What the evidence says the call was when its URL is not part of it (an SDK error, a body). */
  role?: 'token' | 'api' | 'callback_candidate';
}

/** Evidence read and reduced to the entries that may matter; the rest only counted. */
export interface Evidence {
  source: EvidenceSource;
  /** "HAR 1.2 from Firefox 128.0, 312 entries" */
  detail: string;
  entries: EvidenceEntry[];
  /** How many entries there were in all (HAR), or 1. */
  total: number;
  /** Anything worth telling about how it was read: vendor quirks, missing headers … */
  notes: string[];
}

/** Why evidence could not be read. `code` is for the UI and tests; `message` for people. */
export interface EvidenceError {
  code:
    | 'empty'
    | 'too_large'
    | 'binary'
    | 'not_json'
    | 'not_har'
    | 'truncated'
    | 'bad_entry'
    | 'unrecognised';
  message: string;
}

export type EvidenceResult = { ok: true; evidence: Evidence } | { ok: false; error: EvidenceError };

/** A step of the OAuth story, as History shows one. */
export type StepKind =
  | 'authorize'
  | 'consent'
  | 'callback'
  | 'exchange'
  | 'refresh'
  /** A token call whose grant_type the evidence does not show (an SDK error, a bare body). */
  | 'token'
  | 'verify'
  | 'api';

export interface EvidenceStep {
  /** Unique within a timeline; the UI's anchor is `evidence-entry-${entry}`. */
  id: string;
  entry: number;
  kind: StepKind;
  /** Milliseconds since the epoch, by the customer's clock; null when the evidence has no time. */
  at: number | null;
  durationMs: number | null;
  method: string;
  /** Scheme, host and path: never the query (it may carry a code). */
  where: string;
  status: number | null;
  outcome: 'ok' | 'error' | 'unknown';
  errorCode: string | null;
  /** One line: the verdict's summary or what the step carried. */
  summary: string;
  fingerprints: HistoryFingerprints;
}

/** Rules only a whole recording can show, beside the per-call triage's own. */
export type RecordingRule =
  | 'callback_twice'
  | 'refresh_race'
  | 'token_after_refresh'
  | 'scope_differs'
  | 'scope_encoding'
  | 'region_mismatch'
  | 'clock_gap'
  | 'burst_429'
  | 'authorize_refused'
  | 'no_token_call'
  | 'headers_stripped';

export interface EvidenceDiagnosis extends Omit<Diagnosis, 'rule' | 'severity'> {
  rule: DiagnosisRule | RecordingRule;
  /** `info` is worth knowing and not a problem (the CLI's exit status ignores it). */
  severity: 'error' | 'warning' | 'info';
  /** The entries it rests on (1-based), in order. */
  entries: number[];
}

export interface EvidenceReport {
  source: EvidenceSource;
  detail: string;
  total: number;
  /** Entries that were not part of the OAuth story. */
  setAside: number;
  notes: string[];
  timeline: EvidenceStep[];
  diagnoses: EvidenceDiagnosis[];
}
