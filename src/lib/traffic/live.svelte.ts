/**
 * The Traffic section's state: the live list of captured calls from the server's event stream,
 * each judged once on arrival and triaged against the rest of the capture (batched, off the
 * arrival path), plus pause, filters and what the live region says.
 */
import type { CapturedCall, TrafficCapacity } from '../api/traffic.ts';
import type { Diagnosis } from '../triage/types.ts';
import type { Verdict } from '../verdict/classify.ts';
import { clientOf, type ClientInfo } from './client.ts';
import { captureKind, type CaptureKind } from './describe.ts';
import { announce, matches, NO_FILTER, type TrafficFilter } from './filter.ts';
import { OUT_OF_STEP, parseCallEvent, parseCallRun, parseCleared, parseHello } from './parse.ts';
import { changedBy, judgeCaptured, prepareRecording } from './triageCalls.ts';

export interface TrafficRow {
  call: CapturedCall;
  kind: CaptureKind;
  verdict: Verdict;
  client: ClientInfo;
  /** null until the triage has run for it. */
  diagnoses: Diagnosis[] | null;
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** How often the live region may speak: a burst of calls is one sentence, not one per row. */
const ANNOUNCE_EVERY_MS = 3000;
/**
 * New rows are triaged a frame after they are listed: the frame that draws them comes first, and
 * their diagnoses (shown as "…" meanwhile) the frame after.
 */
const TRIAGE_AFTER_MS = 16;
/** Calls triaged between two yields to the page. */
const TRIAGE_SLICE = 50;
/**
 * Calls arriving before the next frame are listed together, in that frame (see nextFrame): the
 * server sends a burst in one write, which the browser hands over one event at a time, and listing
 * each on its own would filter and redraw the table hundreds of times a second. Where there are no
 * frames, calls arriving within this long are.
 */
export const ARRIVAL_BATCH_MS = 16;

/** Diagnoses that say the same, field for field: a row triaged again to these is left as it is. */
export function sameDiagnoses(a: readonly Diagnosis[] | null, b: readonly Diagnosis[]): boolean {
  return (
    a !== null &&
    a.length === b.length &&
    a.every(
      (d, i) =>
        d.rule === b[i]!.rule &&
        d.severity === b[i]!.severity &&
        d.title === b[i]!.title &&
        d.cause === b[i]!.cause &&
        d.next === b[i]!.next &&
        d.docs === b[i]!.docs &&
        d.evidence.length === b[i]!.evidence.length &&
        d.evidence.every((e, j) => e === b[i]!.evidence[j]),
    )
  );
}

/**
 * `run` just before the browser draws its next frame: calls that arrived since the last frame are
 * listed in the frame that shows them, without waiting out a timer. A tab in the background draws
 * no frames, and lists what came when it is shown again. Where there are no frames (tests), after
 * `fallbackMs`. Returns what cancels it.
 */
function nextFrame(run: () => void, fallbackMs: number): () => void {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(run);
    return () => cancelAnimationFrame(id);
  }
  const timer = setTimeout(run, fallbackMs);
  return () => clearTimeout(timer);
}

export const rowLabel = (row: Pick<TrafficRow, 'call' | 'client'>) =>
  `call #${row.call.seq} (${row.client.label})`;

export class TrafficLive {
  rows = $state.raw<TrafficRow[]>([]);
  /** Calls that arrived while paused: shown on Resume, in order. */
  held = $state.raw<TrafficRow[]>([]);
  paused = $state(false);
  status = $state<StreamStatus>('connecting');
  capacity = $state.raw<TrafficCapacity | null>(null);
  /**
   * Calls the server numbered since the capture was last cleared that this view does not list:
   * dropped by the server before this tab read them, or pushed out of this view's last `limit`.
   * The server numbers every call it keeps from 1 up, so a gap in the seqs is calls gone.
   */
  notListed = $state(0);
  filter = $state<TrafficFilter>({ ...NO_FILTER });
  announcement = $state('');

  readonly shown = $derived(
    this.rows.filter((r) =>
      matches(
        {
          status: r.call.response?.status ?? null,
          ok: r.verdict.outcome === 'ok',
          path: r.call.localPath,
          client: r.client.kind,
        },
        this.filter,
      ),
    ),
  );

  #source: EventSource | null = null;
  // Bookkeeping, not state the view reads: plain collections on purpose.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pendingTriage = new Set<number>();
  #triageTimer: ReturnType<typeof setTimeout> | null = null;
  #unsaid = { added: 0, failed: 0 };
  #announceTimer: ReturnType<typeof setTimeout> | null = null;
  #arriving: CapturedCall[] = [];
  /** Cancels the listing of the calls arriving, when one is scheduled. */
  #arrivalTimer: (() => void) | null = null;
  #url = '/api/traffic/events';
  /** The call event read just before, on this connection: what a repeat of it builds on. */
  #lastRead: CapturedCall | null = null;
  /**
   * The newest seq accounted for: listed, held, arriving, or counted in notListed. Null until a
   * `hello` or a `cleared` event says where the capture starts (or after a clear made here, until
   * its event comes: the next call starts it again).
   */
  #accounted: number | null = null;
  /** `cleared` events heard: whether one came while this tab's own Clear was under way. */
  #clearsHeard = 0;

  readonly limit: number;
  readonly #batchMs: number;

  /** `batchMs` 0 lists each call as its event comes (tests). */
  constructor(limit = 1000, batchMs = ARRIVAL_BATCH_MS) {
    this.limit = limit;
    this.#batchMs = batchMs;
  }

  /** Opens the event stream; the browser's EventSource reconnects with Last-Event-ID by itself. */
  start(url = this.#url): void {
    if (this.#source) return;
    this.#url = url;
    this.#open(url);
  }

  #open(url: string): void {
    const source = new EventSource(url);
    this.#source = source;
    source.addEventListener('open', () => (this.status = 'live'));
    source.addEventListener('error', () => {
      this.status = source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
    });
    source.addEventListener('hello', (e) => {
      const hello = parseHello((e as MessageEvent<string>).data);
      if (!hello) return;
      // A new connection (the browser reconnected): nothing before it is repeated on it.
      this.#lastRead = null;
      this.#takeArrivals();
      this.capacity = hello.capacity;
      // A server that restarted numbers from 1 again: what we hold is from its previous life.
      const newest = (this.held.at(-1) ?? this.rows.at(-1))?.call.seq ?? 0;
      if (hello.lastSeq < newest) this.#forget();
      // The seq before the first call since the capture was last cleared: what the server
      // dropped since then shows as a gap before the first call it sends.
      const { calls, dropped } = hello.capacity;
      this.#accounted ??= Math.max(0, hello.lastSeq - calls - dropped);
    });
    source.addEventListener('call', (e) =>
      this.#read(parseCallEvent((e as MessageEvent<string>).data, this.#lastRead)),
    );
    source.addEventListener('calls', (e) => {
      const run = parseCallRun((e as MessageEvent<string>).data, this.#lastRead);
      if (run === OUT_OF_STEP || run === null) return this.#read(run);
      for (const call of run) this.#read(call);
    });
    source.addEventListener('cleared', (e) => {
      this.#clearsHeard++;
      this.#forget();
      // The calls up to the clear are gone: a gap after it is calls the ring dropped unread.
      this.#accounted = parseCleared((e as MessageEvent<string>).data)?.lastSeq ?? null;
    });
  }

  /** What the stream said, one call at a time: a call, not a call (null), or out of step. */
  #read(call: CapturedCall | null | typeof OUT_OF_STEP): void {
    if (call === OUT_OF_STEP) return this.#readAgain();
    this.#lastRead = call;
    if (!call) return;
    this.#account(call.seq);
    if (this.#batchMs <= 0) return this.add([call]);
    this.#arriving.push(call);
    // Only the newest `limit` can be shown or held.
    if (this.#arriving.length > 2 * this.limit) {
      this.#arriving.splice(0, this.limit);
      this.notListed += this.limit;
    }
    this.#arrivalTimer ??= nextFrame(() => this.#takeArrivals(), this.#batchMs);
  }

  /** A call read from the stream, in seq order: the seqs it skipped are calls gone. */
  #account(seq: number): void {
    if (this.#accounted !== null && seq <= this.#accounted) return; // a replay
    if (this.#accounted !== null) this.notListed += seq - this.#accounted - 1;
    this.#accounted = seq;
  }

  /**
   * A repeat of a call this tab did not just read (the server never sends one): the stream is read
   * again from the newest call held, rather than a call shown that cannot be rebuilt.
   */
  #readAgain(): void {
    const newest =
      this.#arriving.at(-1)?.seq ?? (this.held.at(-1) ?? this.rows.at(-1))?.call.seq ?? 0;
    this.#source?.close();
    this.#open(`${this.#url}${this.#url.includes('?') ? '&' : '?'}after=${newest}`);
  }

  #takeArrivals(): void {
    this.#arrivalTimer?.();
    this.#arrivalTimer = null;
    const calls = this.#arriving;
    this.#arriving = [];
    if (calls.length) this.add(calls);
  }

  stop(): void {
    this.#source?.close();
    this.#source = null;
    this.status = 'closed';
    this.#arrivalTimer?.();
    for (const t of [this.#triageTimer, this.#announceTimer]) {
      if (t) clearTimeout(t);
    }
    this.#arrivalTimer = null;
    this.#arriving = [];
  }

  /** Adds calls as they arrive (in seq order); duplicates from a replay are skipped. */
  add(calls: CapturedCall[]): void {
    const newest = (this.held.at(-1) ?? this.rows.at(-1))?.call.seq ?? 0;
    const fresh = calls.filter((c) => c.seq > newest);
    if (fresh.length === 0) return;
    const rows = fresh.map((call): TrafficRow => {
      const kind = captureKind(call);
      return {
        call,
        kind,
        verdict: judgeCaptured(call, kind),
        client: clientOf(call.userAgent),
        diagnoses: null,
      };
    });
    if (this.paused) {
      const held = [...this.held, ...rows];
      this.notListed += Math.max(0, held.length - this.limit);
      this.held = held.slice(-this.limit);
      return;
    }
    this.#show(rows);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    if (held.length) this.#show(held);
  }

  /**
   * Empties the capture on the server: every tab hears `cleared`. This one empties at once when
   * the answer comes first; when the stream's `cleared` came first, it already has, and what it
   * lists since are calls after the clear.
   */
  async clear(fetchImpl: typeof fetch = fetch): Promise<void> {
    const heard = this.#clearsHeard;
    const res = await fetchImpl('/api/traffic', { method: 'DELETE' });
    if (!res.ok) throw new Error(`The local server refused to clear the capture (${res.status}).`);
    if (this.#clearsHeard === heard) this.#forget();
  }

  #forget(): void {
    this.#accounted = null;
    this.notListed = 0;
    this.#arriving = [];
    this.rows = [];
    this.held = [];
    this.#pendingTriage.clear();
  }

  #show(rows: TrafficRow[]): void {
    const all = [...this.rows, ...rows];
    this.notListed += Math.max(0, all.length - this.limit);
    this.rows = all.length > this.limit ? all.slice(-this.limit) : all;
    for (const r of rows) this.#pendingTriage.add(r.call.seq);
    this.#unsaid.added += rows.length;
    this.#unsaid.failed += rows.filter((r) => r.verdict.outcome === 'error').length;
    this.#scheduleAnnouncement();
    this.#scheduleTriage();
  }

  #scheduleAnnouncement(): void {
    if (this.#announceTimer) return;
    this.#announceTimer = setTimeout(() => {
      this.#announceTimer = null;
      this.announcement = announce(this.#unsaid.added, this.#unsaid.failed);
      this.#unsaid = { added: 0, failed: 0 };
    }, ANNOUNCE_EVERY_MS);
  }

  #scheduleTriage(): void {
    if (this.#triageTimer) return;
    this.#triageTimer = setTimeout(() => void this.#triage(), TRIAGE_AFTER_MS);
  }

  /** Triage for new calls, and again for the calls listed before that they can change. */
  async #triage(): Promise<void> {
    this.#triageTimer = null;
    const rows = this.rows;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const pending = new Set(this.#pendingTriage);
    this.#pendingTriage.clear();
    // Calls listed before may read the new ones (a race is seen from both sides, a code's first
    // exchange may come second): those the new ones can change are triaged again.
    const changed = changedBy(rows.filter((r) => pending.has(r.call.seq)));
    for (const r of rows) if (!pending.has(r.call.seq) && changed(r)) pending.add(r.call.seq);
    const indexes = rows.flatMap((r, i) => (pending.has(r.call.seq) ? [i] : []));
    if (indexes.length === 0) return;
    // The recording is read once for every slice of this run.
    const triage = await prepareRecording(
      rows.map((r) => r.call),
      (_c, i) => rowLabel(rows[i]!),
    );
    // Newest first, a slice at a time: a replay of a full ring (a thousand calls) must not
    // freeze the page, and the calls a person is looking at are diagnosed first.
    const order = [...indexes].reverse();
    for (let k = 0; k < order.length; k += TRIAGE_SLICE) {
      const slice = order.slice(k, k + TRIAGE_SLICE);
      const results = triage(slice);
      // Only rows whose diagnoses changed are replaced (and drawn again): most calls triaged
      // again for a newer one come out as they were.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const bySeq = new Map<number, Diagnosis[]>();
      slice.forEach((i, j) => {
        const { diagnoses } = results[j]!;
        if (!sameDiagnoses(rows[i]!.diagnoses, diagnoses)) bySeq.set(rows[i]!.call.seq, diagnoses);
      });
      if (bySeq.size > 0) {
        this.rows = this.rows.map((r) =>
          bySeq.has(r.call.seq) ? { ...r, diagnoses: bySeq.get(r.call.seq)! } : r,
        );
      }
      if (k + TRIAGE_SLICE < order.length) await new Promise((r) => setTimeout(r, 0));
    }
  }
}
