/**
 * A captured call's time of day to the millisecond, as the Traffic table and inspector show it:
 * what `toLocaleTimeString(undefined, { hour12: false })` gives, from one formatter built once
 * (toLocaleTimeString builds one per call, which a table taking hundreds of rows a second feels).
 */
const clock = new Intl.DateTimeFormat(undefined, {
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hour12: false,
});

export const callTime = (ms: number) => `${clock.format(ms)}.${String(ms % 1000).padStart(3, '0')}`;
