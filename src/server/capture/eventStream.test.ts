import { describe, expect, it } from 'vitest';
import { EventStream } from './eventStream.ts';

const text = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk);

describe('EventStream', () => {
  it('hands each write to the reader, and resolves it only when the reader asks for more', async () => {
    const stream = new EventStream();
    const reader = stream.body.getReader();
    let written = false;
    const write = stream.write('event: a\n\n').then(() => (written = true));
    expect(text((await reader.read()).value)).toBe('event: a\n\n');
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Taken, but the reader has not asked again (it is still writing to its socket).
    expect(written).toBe(false);
    const next = reader.read();
    await write;
    expect(written).toBe(true);
    void stream.write('event: b\n\n');
    expect(text((await next).value)).toBe('event: b\n\n');
  });

  it('keeps a write that comes while nobody reads until the reader comes', async () => {
    const stream = new EventStream();
    const write = stream.write('one');
    const reader = stream.body.getReader();
    expect(text((await reader.read()).value)).toBe('one');
    void reader.read();
    await write;
  });

  it('tells onAbort listeners when the reader goes away, and lets a waiting write go', async () => {
    const stream = new EventStream();
    const reader = stream.body.getReader();
    const aborted: string[] = [];
    stream.onAbort(() => aborted.push('a'));
    const write = stream.write('x');
    await reader.read();
    await reader.cancel();
    await write;
    expect(stream.aborted).toBe(true);
    expect(aborted).toEqual(['a']);
    // Nothing more is sent, and nothing throws.
    await stream.write('y');
    stream.close();
  });

  it('ends the body on close', async () => {
    const stream = new EventStream();
    const reader = stream.body.getReader();
    void stream.write('last');
    expect(text((await reader.read()).value)).toBe('last');
    stream.close();
    expect((await reader.read()).done).toBe(true);
    expect(stream.closed).toBe(true);
  });
});
