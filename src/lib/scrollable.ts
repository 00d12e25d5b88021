/**
 * A Svelte action for boxes that scroll (wide tables, long bodies, the flow diagram on a phone):
 * while the content overflows, the box is in the tab order so a keyboard can scroll it
 * (WCAG 2.1.1); when everything fits, it is not, and adds no empty tab stop.
 *
 * Measuring a box whose page changed makes the browser lay the page out there and then, so it is
 * measured only when the layout is already done: when its size or its first child's changes (a
 * ResizeObserver is told right after the browser's own layout), and, for other changes inside it
 * (a <pre>'s text), once the next frame has been drawn. A live table taking hundreds of rows a
 * second once laid itself out for each row, then once more each frame (in a Chromium profile of
 * Traffic under a 50-connection flood, 0.38 s of 5 s went to that one extra layout).
 */
export function scrollable(node: HTMLElement): { destroy(): void } {
  const update = () => {
    const overflows =
      node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1;
    if (overflows) node.tabIndex = 0;
    else node.removeAttribute('tabindex');
  };
  update();
  if (typeof ResizeObserver === 'undefined') return { destroy() {} };
  let frame = 0;
  let task: ReturnType<typeof setTimeout> | undefined;
  const resized = new ResizeObserver(update);
  resized.observe(node);
  if (node.firstElementChild) resized.observe(node.firstElementChild);
  // A task queued in an animation callback runs once that frame is drawn.
  const changed = new MutationObserver(() => {
    frame ||= requestAnimationFrame(() => {
      task = setTimeout(() => {
        frame = 0;
        update();
      });
    });
  });
  changed.observe(node, { childList: true, subtree: true, characterData: true });
  return {
    destroy() {
      resized.disconnect();
      changed.disconnect();
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(task);
    },
  };
}
