/**
 * Reads a Server-Sent Events stream in Node (which has no EventSource): for the capture's tests and
 * its benchmark. Follows the parts of the SSE format the traffic routes use: event, id, data.
 */

export interface SseEvent {
  event: string;
  id: string | null;
  data: string;
}

export interface SseReader {
  /** The next event (comments skipped), or null when the stream ended. */
  next(timeoutMs?: number): Promise<SseEvent | null>;
  /** Comment lines seen so far (heartbeats). */
  readonly comments: number;
  close(): Promise<void>;
}

export function readSse(body: ReadableStream<Uint8Array>): SseReader {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let comments = 0;
  const ready: SseEvent[] = [];
  let ended = false;
  // A read that lost a race against a timeout is kept for the next call, so no bytes are lost.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;

  function parseBlocks() {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end < 0) return;
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', id: null, data: '' };
      const data: string[] = [];
      let any = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          comments++;
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else if (field === 'data') data.push(value);
        else continue;
        any = true;
      }
      event.data = data.join('\n');
      if (any) ready.push(event);
    }
  }

  return {
    get comments() {
      return comments;
    },
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (ready.length === 0 && !ended) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no SSE event within ${timeoutMs} ms`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        pending ??= reader.read();
        const step = await Promise.race([
          pending,
          new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), left))),
        ]);
        clearTimeout(timer);
        if (step === 'timeout') throw new Error(`no SSE event within ${timeoutMs} ms`);
        pending = null;
        if (step.done) ended = true;
        else buffer += decoder.decode(step.value, { stream: true });
        parseBlocks();
      }
      return ready.shift() ?? null;
    },
    async close() {
      await reader.cancel().catch(() => undefined);
    },
  };
}
