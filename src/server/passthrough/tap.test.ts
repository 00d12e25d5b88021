import { describe, expect, it } from 'vitest';
import { BodyTap, BodyTooLarge, tapped } from './tap.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let size = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) size += chunk.length;
  return size;
}

describe('BodyTap', () => {
  it('keeps the first `limit` bytes and counts them all', () => {
    const tap = new BodyTap(5);
    tap.add(bytes('abc'));
    tap.add(bytes('defgh'));
    tap.add(bytes('ij'));
    expect([tap.text(), tap.size, tap.truncated]).toEqual(['abcde', 10, true]);
  });

  it('a whole body under the limit is kept as it is', () => {
    const tap = BodyTap.of('grant_type=x&é=1', 64);
    expect([tap.text(), tap.size, tap.truncated]).toEqual(['grant_type=x&é=1', 17, false]);
    expect(BodyTap.of('é'.repeat(40), 64).truncated).toBe(true);
    expect(BodyTap.of(bytes('xyz'), 2).text()).toBe('xy');
  });

  it('says which strings are kept whole whatever their characters, as BodyTap.of keeps them', () => {
    // 21 characters of up to 3 bytes each fit in 64; 22 may not.
    expect(BodyTap.keepsWhole('€'.repeat(21), 64)).toBe(true);
    expect(BodyTap.keepsWhole('a'.repeat(22), 64)).toBe(false);
    expect(BodyTap.keepsWhole('', 64)).toBe(true);
    const euros = BodyTap.of('€'.repeat(21), 64);
    expect([euros.text(), euros.truncated]).toEqual(['€'.repeat(21), false]);
  });

  it('a whole string short enough is kept without counting its bytes until asked', () => {
    // 21 characters of 3 bytes each: 63 bytes, within 64 whatever they are.
    const euros = BodyTap.of('€'.repeat(21), 64);
    expect([euros.truncated, euros.text(), euros.size]).toEqual([false, '€'.repeat(21), 63]);
    // Emoji: 2 UTF-16 units, 4 bytes. 10 of them (20 units, 40 bytes) fit; 17 (68 bytes) do not.
    expect([
      BodyTap.of('😀'.repeat(10), 64).size,
      BodyTap.of('😀'.repeat(10), 64).truncated,
    ]).toEqual([40, false]);
    const emoji = BodyTap.of('😀'.repeat(17), 64);
    expect([emoji.size, emoji.truncated, emoji.text()]).toEqual([68, true, '😀'.repeat(16)]);
  });

  it('with a zero limit it only counts', () => {
    const tap = new BodyTap(0);
    tap.add(bytes('abc'));
    expect([tap.text(), tap.size, tap.truncated]).toEqual(['', 3, true]);
  });
});

describe('tapped', () => {
  const source = (chunks: number, size: number) => {
    let n = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (n++ === chunks) return controller.close();
        controller.enqueue(new Uint8Array(size).fill(n));
      },
    });
  };

  it('passes every byte on while the tap copies the start', async () => {
    const tap = new BodyTap(100);
    expect(await drain(tapped(source(10, 64), tap))).toBe(640);
    expect([tap.size, tap.truncated]).toEqual([640, true]);
  });

  it('fails with BodyTooLarge past `max`, having read no further', async () => {
    const tap = new BodyTap(0);
    await expect(drain(tapped(source(100, 1000), tap, 5000))).rejects.toBeInstanceOf(BodyTooLarge);
    expect(tap.size).toBe(6000);
  });
});
