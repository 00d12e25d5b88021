/**
 * A Traffic tab for the capture bench: reads the event stream of the origin in argv, in its own
 * process as a browser tab would be (reading it in the load generator's process would slow the
 * generator, and its latency figures, instead of the server). Of each chunk it reads only the
 * first call's end time, for how late the oldest call of each write arrived. Answers `stop` with
 * the bytes it read and those delays, then exits.
 */
const [origin] = process.argv.slice(2);
let streamed = 0;
const delays: number[] = [];
const decoder = new TextDecoder();
const END = /"startedAt":(\d+),"durationMs":([\d.]+)/;
const res = await fetch(`${origin}/api/traffic/events`);
const reader = res.body!.getReader();
process.on('message', (message) => {
  if (message !== 'stop') return;
  process.send?.({ streamed, delays }, () => process.exit(0));
});
process.send?.({ ready: true });
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  streamed += value.byteLength;
  // A write starts with an event; a read that starts inside one (a large write arrives in
  // several reads) says nothing of its write's oldest call. A call's JSON starts with its times.
  const head = decoder.decode(value.subarray(0, 512));
  const end = head.startsWith('event: call') ? END.exec(head) : null;
  if (end) delays.push(Date.now() - (Number(end[1]) + Number(end[2])));
}

export {};
