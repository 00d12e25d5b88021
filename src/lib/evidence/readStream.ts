/**
 * Evidence from a stream of text (a file, stdin): a small input is read whole, so any accepted
 * form works; a large one must be a HAR and is read entry by entry, never held as one object.
 */
import { HarReader } from './readHar.ts';
import { readEvidenceText } from './readText.ts';
import type { EvidenceResult } from './types.ts';

/** Up to this much text is kept whole (pastes, small HARs); beyond it only a HAR is accepted. */
const WHOLE_LIMIT = 1 << 20;

export async function readEvidenceStream(chunks: AsyncIterable<string>): Promise<EvidenceResult> {
  const head: string[] = [];
  let size = 0;
  let reader: HarReader | null = null;
  for await (const chunk of chunks) {
    if (reader) {
      // The reader has seen enough to know it is not a HAR: stop reading.
      if (!reader.push(chunk)) break;
      continue;
    }
    head.push(chunk);
    size += chunk.length;
    if (size > WHOLE_LIMIT) {
      reader = new HarReader();
      let going = true;
      for (const piece of head) if (going) going = reader.push(piece);
      head.length = 0;
      if (!going) break;
    }
  }
  return reader ? reader.finish() : readEvidenceText(head.join(''));
}
