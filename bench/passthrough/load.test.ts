import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { percentile, runLoad } from './load.ts';

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

/** Answers at once, except the `slowNth` request, which waits `slowMs` first. */
function listen(slowNth: number, slowMs: number): Promise<number> {
  let n = 0;
  server = createServer((_req, res) => {
    const answer = () => res.end('ok');
    if (++n === slowNth) setTimeout(answer, slowMs);
    else answer();
  });
  return new Promise((resolve) =>
    server!.listen(0, '127.0.0.1', () => resolve((server!.address() as AddressInfo).port)),
  );
}

const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

describe('runLoad', () => {
  it('times a paced request from when it was due, so one slow answer delays the ones after it', async () => {
    // One connection, a request due every 10 ms; the 5th answer takes 80 ms. The requests due
    // meanwhile wait for the connection: each one's latency counts that wait.
    const port = await listen(5, 80);
    const r = await runLoad({ port, request, connections: 1, durationMs: 400, thinkMs: 10 });
    expect(r.errors).toBe(0);
    // Due 0, 10, 20 and 30 ms into the 80 ms wait: each waits 50 ms or more. Timed from the
    // send, only the slow answer itself would be (margins wide: a busy machine adds its own).
    const late = Array.from(r.latencies).filter((ms) => ms >= 50);
    expect(late.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...late)).toBeGreaterThanOrEqual(75);
    expect(percentile(r.latencies, 50)).toBeLessThan(50);
  });

  it('times a paced request sent on time from its send: a late timer is the generator, not the server', async () => {
    // One connection, a request due every 100 ms, answered at once. 20 ms after the second
    // answer this process stalls for 180 ms, over the third request's due time: its timer fires
    // about 100 ms late. The connection was free all along, so nothing of that is the server's.
    let n = 0;
    server = createServer((_req, res) => {
      res.end('ok');
      if (++n === 2) {
        setTimeout(() => {
          const until = performance.now() + 180;
          while (performance.now() < until);
        }, 20);
      }
    });
    const port = await new Promise<number>((resolve) =>
      server!.listen(0, '127.0.0.1', () => resolve((server!.address() as AddressInfo).port)),
    );
    const r = await runLoad({ port, request, connections: 1, durationMs: 450, thinkMs: 100 });
    expect(r.errors).toBe(0);
    expect(n).toBeGreaterThanOrEqual(3);
    // Timed from when it was due, the third would take about 100 ms (margins wide, as above).
    expect(Math.max(...r.latencies)).toBeLessThan(50);
  });

  it('times a closed-loop request from its send', async () => {
    const port = await listen(5, 80);
    const r = await runLoad({ port, request, connections: 1, durationMs: 300 });
    expect(Array.from(r.latencies).filter((ms) => ms >= 50)).toHaveLength(1);
    expect(r.answered).toBe(1);
  });
});
