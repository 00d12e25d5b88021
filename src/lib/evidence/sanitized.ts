/**
 * "Download sanitized HAR": the customer's HAR with every secret replaced by its fingerprint, by
 * the app's one sanitizer (lib/har). Pasted evidence becomes a HAR first. A sanitizer that finds a
 * secret it could not remove refuses, and this says where.
 */
import type { Har } from 'har-format';
import { toHar } from '../har/fromExchanges.ts';
import { sanitizeHar } from '../har/sanitize.ts';
import { isRecord, tryParseJson } from '../oauth/guards.ts';
import type { Evidence } from './types.ts';

export type SanitizedHar =
  { ok: true; text: string; replaced: number } | { ok: false; message: string };

/**
 * `harText` is the original file's text when the evidence is a HAR (read again only now, on
 * demand: the diagnosis never holds it whole).
 */
export async function sanitizeEvidence(
  evidence: Evidence,
  harText: () => Promise<string>,
): Promise<SanitizedHar> {
  let har: Har;
  if (evidence.source === 'har') {
    const parsed = tryParseJson(await harText());
    if (!parsed.ok || !isRecord(parsed.value))
      return {
        ok: false,
        message:
          'The HAR is not complete JSON (it is cut off or damaged), so a sanitized copy of it cannot be written. The diagnosis above still stands.',
      };
    har = parsed.value as unknown as Har;
  } else {
    har = toHar(evidence.entries.map((e) => e.exchange));
  }
  const result = await sanitizeHar(har);
  if (!result.ok) {
    const where = result.leaks
      .slice(0, 5)
      .map((l) => `${l.what} (${l.form}) at ${l.path}`)
      .join('; ');
    return {
      ok: false,
      message: `No file was written: ${result.leaks.length} secret value(s) could not be removed safely: ${where}${result.leaks.length > 5 ? ' …' : ''}.`,
    };
  }
  return { ok: true, text: JSON.stringify(result.har, null, 2), replaced: result.replaced };
}
