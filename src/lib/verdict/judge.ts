import type { UpstreamExchange } from '../api/wire.ts';
import { classifyCall, type CallKind, type Verdict } from './classify.ts';

/** A recorded call with its verdict: what the session and the timeline keep. */
export type Judged<T extends UpstreamExchange = UpstreamExchange> = T & { verdict: Verdict };

/** Classifies a call right after it returns; everything downstream reads `verdict`. */
export function judge<T extends UpstreamExchange>(kind: CallKind, call: T): Judged<T> {
  return { ...call, verdict: classifyCall(kind, call) };
}
