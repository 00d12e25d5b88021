/**
 * Reads and diagnoses evidence off the main thread, so a 200 MB HAR never blocks the page. The
 * file is streamed: bytes → text → entries, with progress; only the story's entries are kept.
 * Nothing leaves this worker but the diagnosis (fingerprints only) and, on request, a sanitized HAR.
 */
import { diagnoseEvidence } from '../lib/evidence/diagnose.ts';
import { tooLarge } from '../lib/evidence/readHar.ts';
import { readEvidenceStream } from '../lib/evidence/readStream.ts';
import { readEvidenceText } from '../lib/evidence/readText.ts';
import { sanitizeEvidence } from '../lib/evidence/sanitized.ts';
import type { Evidence, EvidenceResult } from '../lib/evidence/types.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message);

/** What the last diagnosis was read from, for "Download sanitized HAR". */
let last: { evidence: Evidence; text: () => Promise<string> } | null = null;

async function* textOf(file: File): AsyncGenerator<string> {
  const reader = file.stream().getReader();
  const decoder = new TextDecoder();
  let done = 0;
  let told = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    done += value.byteLength;
    // About every 1 %: enough for a smooth bar, few enough messages.
    if (done - told > file.size / 100) {
      told = done;
      post({ type: 'progress', done, total: file.size });
    }
    yield decoder.decode(value, { stream: true });
  }
  const tail = decoder.decode();
  if (tail) yield tail;
  post({ type: 'progress', done: file.size, total: file.size });
}

async function diagnose(read: EvidenceResult, text: () => Promise<string>): Promise<void> {
  if (!read.ok) {
    last = null;
    post({ type: 'error', error: read.error });
    return;
  }
  post({ type: 'diagnosing' });
  last = { evidence: read.evidence, text };
  post({ type: 'report', report: await diagnoseEvidence(read.evidence) });
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'file') {
    const file = message.file;
    const big = tooLarge(file.size);
    if (big) {
      post({ type: 'error', error: big });
      return;
    }
    await diagnose(await readEvidenceStream(textOf(file)), () => file.text());
  } else if (message.type === 'text') {
    const text = message.text;
    await diagnose(readEvidenceText(text), async () => text);
  } else if (last) {
    const out = await sanitizeEvidence(last.evidence, last.text);
    post({
      type: 'sanitized',
      result: out.ok
        ? {
            ok: true,
            blob: new Blob([out.text], { type: 'application/json' }),
            replaced: out.replaced,
          }
        : out,
    });
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((e: unknown) => {
    post({
      type: 'error',
      error: {
        code: 'bad_entry',
        message: `The evidence could not be read: ${e instanceof Error ? e.message : String(e)}`,
      },
    });
  });
};
