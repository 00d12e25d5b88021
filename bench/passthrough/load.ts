/**
 * A small closed-loop HTTP/1.1 load generator on raw keep-alive sockets: each connection sends one
 * request, waits for the whole answer, sends the next. Raw sockets keep the generator's own CPU low
 * (the machine has 2 cores and the server needs one), which node:http's client or fetch would not.
 */
import { connect, type Socket } from 'node:net';

export interface LoadResult {
  /** Answers received in the measured window (before the stop). */
  count: number;
  /** Every answer, the ones after the stop included (for CPU per answer). */
  total: number;
  /**
   * Per-answer latency in ms, sorted. Closed loop: from the send. Paced: from the send when the
   * connection was free when the request was due; from the moment the schedule said to send when
   * an answer held the connection past it, so that wait counts too (the standard correction for
   * coordinated omission, as wrk2 makes).
   */
  latencies: Float64Array;
  elapsedMs: number;
  /** Connections that got at least one complete answer. */
  answered: number;
  /** Answers whose status was not the expected one, and connections that broke. */
  errors: number;
}

export interface LoadOptions {
  port: number;
  /** The raw request, keep-alive (no `Connection: close`). */
  request: string;
  connections: number;
  durationMs: number;
  expectStatus?: number;
  /**
   * Paced: each connection sends one request every `thinkMs` (on a fixed schedule, so the rate is
   * the same whatever the latency; a late answer sends the next at once, and its latency runs from
   * when it was due). 0: closed loop, the next request as soon as the answer is in.
   */
  thinkMs?: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Bytes of one complete answer at the start of `buf`, or 0 when it is not all there yet. */
function answerLength(buf: Buffer): number {
  const end = buf.indexOf(HEADER_END);
  if (end < 0) return 0;
  const head = buf.toString('latin1', 0, end).toLowerCase();
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  if (length) {
    const total = end + 4 + Number(length[1]);
    return buf.length >= total ? total : 0;
  }
  if (head.includes('\r\ntransfer-encoding: chunked')) {
    const last = buf.indexOf('\r\n0\r\n\r\n', end);
    if (last >= 0) return last + 7;
    if (buf.subarray(end + 4, end + 9).toString('latin1') === '0\r\n\r\n') return end + 9;
    return 0;
  }
  return end + 4;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `connections` closed loops for `durationMs`; resolves when every socket is closed. */
export function runLoad({
  port,
  request,
  connections,
  durationMs,
  expectStatus = 200,
  thinkMs = 0,
}: LoadOptions): Promise<LoadResult> {
  const payload = Buffer.from(request, 'latin1');
  const latencies: number[] = [];
  let errors = 0;
  let answered = 0;
  let stopping = false;
  let countAtStop = 0;
  const sockets: Socket[] = [];
  return new Promise((resolve) => {
    let open = connections;
    const done = () => {
      if (--open > 0) return;
      const sorted = Float64Array.from(latencies).sort();
      resolve({
        count: countAtStop,
        total: latencies.length,
        latencies: sorted,
        elapsedMs: durationMs,
        answered,
        errors,
      });
    };
    for (let i = 0; i < connections; i++) {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      sockets.push(socket);
      let buf: Buffer = Buffer.alloc(0);
      /** Where the request in flight is timed from (see `latencies`). */
      let from = 0;
      let got = false;
      let due = 0;
      const send = (late = false) => {
        from = late ? due : performance.now();
        socket.write(payload);
      };
      // Paced connections start spread over one interval, not all in the same instant.
      socket.on('connect', () => {
        if (!thinkMs) return send();
        due = performance.now() + Math.random() * thinkMs;
        setTimeout(() => send(), due - performance.now());
      });
      socket.on('data', (chunk: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          const n = answerLength(buf);
          if (n === 0) return;
          const status = Number(buf.toString('latin1', 9, 12));
          buf = buf.subarray(n);
          latencies.push(performance.now() - from);
          if (status !== expectStatus) errors++;
          if (!got) {
            got = true;
            answered++;
          }
          if (stopping) {
            socket.end();
            return;
          }
          if (!thinkMs) {
            send();
            continue;
          }
          due += thinkMs;
          const wait = due - performance.now();
          // Due while this connection still waited for its answer: sent now, and timed from when
          // it was due. Otherwise a stall hides itself from 50 connections (their requests wait,
          // untimed, for a free connection) but not from 500 (which have one free): an unfair
          // tail ratio. Sent by the timer: timed from the send, as the timer's own lateness (a
          // millisecond or so, Node's timers being whole milliseconds) is the generator's.
          if (wait <= 0) send(true);
          else setTimeout(() => send(), wait);
        }
      });
      socket.on('error', () => {
        errors++;
      });
      socket.on('close', done);
    }
    setTimeout(() => {
      stopping = true;
      countAtStop = latencies.length;
      // Each connection ends after its answer in flight; one still waiting 10 s after the start
      // (or 2 s after the stop) is cut off and, if it never got an answer, counts as unanswered.
      setTimeout(
        () => {
          for (const s of sockets) s.destroy();
        },
        Math.max(2000, 10_000 - durationMs),
      ).unref();
    }, durationMs);
  });
}
