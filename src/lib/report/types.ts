/** A support report of one profile's session: what the ticket gets, as data and as Markdown. */
import type { Header, SecretSource, UpstreamExchange } from '../api/wire.ts';
import type { EnvironmentId } from '../oauth/environments.ts';
import type { TokenSet } from '../oauth/tokenResponse.ts';
import type { Diagnosis } from '../triage/types.ts';
import type { HistoryEntry, HistoryKind } from '../triage/history.ts';
import type { Scrubber } from './scrub.ts';
import type { HistoryTally } from './tally.ts';

/**
 * The history as the report reads it: its tally (kept by the store as entries are appended: the
 * counts, the newest steps, the recent failures), so a report costs the same at 10 entries and at
 * 10,000. Only the JSON download reads every entry (`all`). `reportHistoryOf` makes one from an
 * array.
 */
export interface ReportHistory {
  tally: HistoryTally;
  /** Every entry, oldest first: read when the JSON is written. */
  all(): Promise<readonly HistoryEntry[]>;
}

export interface ReportInput {
  generatedAt: number;
  appVersion: string;
  /** Where this app runs (the simulator's hosts derive from it). */
  origin: string;
  profile: {
    name: string;
    clientId: string;
    redirectUri: string;
    scope: string;
    environment: EnvironmentId;
  };
  /** The profile's history: its tally, and every entry on demand (storage/historyTally.ts). */
  history: ReportHistory;
  /** The last call of each kind (a ProfileSession fits). */
  session: {
    exchange: (UpstreamExchange & { secretSource?: SecretSource }) | null;
    refresh: (UpstreamExchange & { secretSource?: SecretSource }) | null;
    verify: UpstreamExchange | null;
    tokens: TokenSet | null;
  };
  diagnoses: Diagnosis[];
  /** Every raw secret the app holds (client secret, code, tokens, verifier, state): none may appear. */
  secrets: string[];
  /**
   * Parts other modules add (the evidence timeline, issue 10). Each gets the report's scrubber, and
   * what it returns goes through the same leak check as the rest.
   */
  sections?: Array<(scrub: Scrubber) => ReportSection | Promise<ReportSection>>;
}

/** A part of the report added by another module: a heading, its Markdown, and its data. */
export interface ReportSection {
  title: string;
  markdown: string[];
  data: unknown;
}

export const REPORT_FORMAT = 'pandadoc-oauth-debugger/report@1';

/** A history entry as the report shows it: its time as an ISO string, no ids. */
export type ReportStep = Omit<HistoryEntry, 'id' | 'profileId' | 'at'> & { at: string };

/**
 * The whole history in a few lines: the Markdown of a long history shows this, every distinct
 * failure with its count, and only the most recent steps one by one; the JSON has every step.
 */
export interface ReportSummary {
  steps: number;
  /** Time of the first and the last step (ISO), null when there is none. */
  first: string | null;
  last: string | null;
  /** Per step kind, in the order first seen: how many, and how many did not go as they should. */
  byKind: Array<{ kind: HistoryKind; total: number; failed: number }>;
  /** Each distinct failure (step, status, error code), most frequent first. */
  failures: Array<{
    kind: HistoryKind;
    status: number | null;
    errorCode: string | null;
    count: number;
    first: string;
    last: string;
  }>;
}

export interface ReportCall {
  name: 'exchange' | 'refresh' | 'verify';
  startedAt: string;
  durationMs: number;
  request: {
    method: string;
    url: string;
    headers: Header[];
    /** The form body as fields (secrets fingerprinted), or null when it was not a form. */
    form: Header[] | null;
    /** A non-form body, scrubbed. */
    body: string | null;
  };
  response: {
    status: number;
    statusText: string;
    headers: Header[];
    /** Pretty JSON with secrets fingerprinted, or the text as received (scrubbed). */
    body: string;
    truncated: boolean;
  } | null;
  failure: { kind: string; message: string } | null;
  secretSource: SecretSource | null;
}

export interface ReportTokens {
  tokenType: string;
  scope: string | null;
  receivedAt: string;
  expiresAt: string | null;
  expiresIn: number | null;
  accessToken: string;
  refreshToken: string | null;
}

export interface ReportJson {
  format: typeof REPORT_FORMAT;
  generatedAt: string;
  appVersion: string;
  environment: { id: EnvironmentId; label: string; authorize: string; token: string; api: string };
  profile: { name: string; clientId: string; redirectUri: string; scope: string };
  /** Every step of the history, oldest first. */
  steps: ReportStep[];
  summary: ReportSummary;
  calls: ReportCall[];
  diagnoses: Diagnosis[];
  tokens: ReportTokens | null;
  /** Added by other modules (see ReportInput.sections). */
  sections: Array<{ title: string; data: unknown }>;
  /** Minutes east of UTC of the machine that made the report: diagnosis texts use its local time. */
  utcOffsetMinutes: number;
}

/** The report as data without its steps: `buildReport` writes those only into the JSON text. */
export type ReportHead = Omit<ReportJson, 'steps'>;
