/**
 * micromark applies its batched event edits with `EditMap.consume`, which in
 * `micromark-util-edit-map` 1.0.0 copies every event before the first edit out of the array
 * and pushes it back in. micromark calls it once per setext heading and once per nested list
 * item, each time on the events of the whole document so far, so a file of n of them took
 * O(n²): measured, 8,000 setext headings with a paragraph each (560 KB) 20 s, 8,000 items
 * nested five deep 2.4 s. The same edits leaving that prefix in place cost only what follows
 * the first edit: 0.8 s and 0.6 s, linear.
 *
 * Importing this module installs `linearConsume` in micromark's `EditMap`; the result is
 * the same array of the same events (`tests/core/linear-edit-map.test.ts` parses every page of
 * the guide each way, as CommonMark and as MDX, and compares the trees).
 */
import { EditMap } from 'micromark-util-edit-map';

type Events = Parameters<EditMap['consume']>[0];

/** micromark's own `consume`, kept for the test that compares the two. */
export const libraryConsume = EditMap.prototype.consume;

/** `EditMap.consume`: the edits, in index order, applied to `events` from the first one on. */
export function linearConsume(this: EditMap, events: Events): undefined {
  const edits = this.map.sort((a, b) => a[0] - b[0]);
  if (edits.length === 0) return;
  // From the last edit back: keep what follows it, then its added events, then cut there.
  const pieces: Events[] = [];
  for (let i = edits.length - 1; i >= 0; i--) {
    const [at, remove, add] = edits[i]!;
    pieces.push(events.slice(at + remove), add);
    events.length = at;
  }
  // `events` is now what came before the first edit, left where it was.
  for (let i = pieces.length - 1; i >= 0; i--) for (const event of pieces[i]!) events.push(event);
  this.map.length = 0;
  this.index.clear();
}

// Only over the implementation it was written against: its record of edits and their index.
const probe = new EditMap();
if (Array.isArray(probe.map) && probe.index instanceof Map) EditMap.prototype.consume = linearConsume;
