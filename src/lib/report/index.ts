export { buildReport } from './buildReport.ts';
export { createScrubber, type Scrubber } from './scrub.ts';
export * from './types.ts';
export { reportHistoryOf } from './steps.ts';
