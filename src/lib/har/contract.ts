/**
 * The HAR side of "one sanitizer for the whole app" (issues 10 and 11). Implemented in
 * sanitize.ts and fromExchanges.ts beside this file; Diagnose evidence and Traffic both use them.
 */
import type { Har } from 'har-format';

/** Where a secret was found that the sanitizer could not remove: a JSON-pointer-like path. */
export interface LeakReport {
  /** e.g. `log.entries[3].response.headers[2].value` */
  path: string;
  /** What kind of secret it was (never the value): "access token", "client_secret" … */
  what: string;
  /** How it was found: "raw", "URL-encoded", "base64". */
  form: string;
}

export type SanitizeResult =
  | {
      ok: true;
      har: Har;
      /** How many values were replaced by fingerprints: each place counts (one token in a body,
       * a header and a URL is 3). */
      replaced: number;
      /** How many distinct secret values were found (and replaced wherever they were). */
      secrets: number;
    }
  | { ok: false; leaks: LeakReport[] };

/** sanitize.ts: `sanitizeHar(har: Har): Promise<SanitizeResult>` */
export type SanitizeHar = (har: Har) => Promise<SanitizeResult>;
