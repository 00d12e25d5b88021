/**
 * A Traffic tab for the capture bench: reads the event stream of the origin in argv and drops it,
 * in its own process as a browser tab would be (reading it in the load generator's process would
 * slow the generator, and its latency figures, instead of the server). Answers `stop` with the
 * bytes it read, then exits.
 */
const [origin] = process.argv.slice(2);
let streamed = 0;
const res = await fetch(`${origin}/api/traffic/events`);
const reader = res.body!.getReader();
process.on('message', (message) => {
  if (message !== 'stop') return;
  process.send?.({ streamed }, () => process.exit(0));
});
process.send?.({ ready: true });
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  streamed += value.byteLength;
}
