/**
 * The Diagnose evidence section's state: one worker, one piece of evidence at a time. Nothing is
 * stored: the evidence lives in the worker's memory until the next one replaces it or the tab closes.
 */
import type { EvidenceError, EvidenceReport } from '../lib/evidence/types.ts';
import { setReportEvidence } from '../lib/report/evidence.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { startEvidenceWorker } from './startWorker.ts';

export type Phase = 'idle' | 'reading' | 'diagnosing' | 'done' | 'error';

export class EvidenceState {
  phase = $state<Phase>('idle');
  /** What is being read: a file name, or "the pasted text". */
  name = $state('');
  size = $state<number | null>(null);
  done = $state(0);
  total = $state(0);
  report = $state.raw<EvidenceReport | null>(null);
  /** The timeline is rendered a task after the diagnoses. */
  timelineShown = $state(false);
  error = $state.raw<EvidenceError | null>(null);
  sanitize = $state<
    | { state: 'idle' | 'working' }
    | { state: 'done'; replaced: number; file: string }
    | { state: 'refused'; message: string }
  >({ state: 'idle' });

  #worker: Worker | null = null;

  #send(message: ToWorker): void {
    if (!this.#worker) {
      this.#worker = startEvidenceWorker();
      this.#worker.onmessage = (e: MessageEvent<FromWorker>) => this.#receive(e.data);
      this.#worker.onerror = (e) => {
        this.phase = 'error';
        this.error = {
          code: 'bad_entry',
          message: `The reader stopped: ${e.message || 'unknown error'}`,
        };
      };
    }
    this.#worker.postMessage(message);
  }

  #receive(m: FromWorker): void {
    if (m.type === 'progress') {
      this.done = m.done;
      this.total = m.total;
    } else if (m.type === 'diagnosing') this.phase = 'diagnosing';
    else if (m.type === 'report') {
      this.report = m.report;
      this.phase = 'done';
      setReportEvidence(m.report);
      // The diagnoses first, the timeline in a task of its own: neither holds the page for long.
      this.timelineShown = false;
      setTimeout(() => (this.timelineShown = true), 0);
    } else if (m.type === 'error') {
      this.error = m.error;
      this.phase = 'error';
    } else if (m.type === 'sanitized') {
      if (!m.result.ok) {
        this.sanitize = { state: 'refused', message: m.result.message };
        return;
      }
      const file = `${this.name.replace(/\.(har|json|txt)$/i, '') || 'evidence'}.sanitized.har`;
      const url = URL.createObjectURL(m.result.blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      this.sanitize = { state: 'done', replaced: m.result.replaced, file };
    }
  }

  #start(name: string, size: number | null): void {
    this.name = name;
    this.size = size;
    this.done = 0;
    this.total = size ?? 0;
    this.report = null;
    this.error = null;
    this.sanitize = { state: 'idle' };
    this.phase = 'reading';
    setReportEvidence(null);
  }

  readFile(file: File): void {
    this.#start(file.name, file.size);
    this.#send({ type: 'file', file });
  }

  readText(text: string): void {
    this.#start('the pasted text', null);
    this.#send({ type: 'text', text });
  }

  downloadSanitized(): void {
    this.sanitize = { state: 'working' };
    this.#send({ type: 'sanitize' });
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
