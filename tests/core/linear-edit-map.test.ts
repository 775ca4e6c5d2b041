/**
 * micromark's event edits applied without copying what comes before them
 * (`src/core/linear-edit-map.ts`): the same Markdown trees as micromark's own `consume`, at a
 * cost that grows with the file instead of its square.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EditMap } from 'micromark-util-edit-map';
import { COMMONMARK, MDX } from '../../src/core/markdown-parser.ts';
import { libraryConsume, linearConsume } from '../../src/core/linear-edit-map.ts';
import { markdownFiles } from '../helpers.ts';

const GUIDE = path.resolve(import.meta.dirname, '../../../shared/corpora/discordjs-guide');

/** A file of `n` setext headings, each over a paragraph. */
const setextHeadings = (n: number) => 'Title here\n==========\n\nA paragraph under it.\n\n'.repeat(n);
/** `n` list items nested up to five deep. */
const nestedItems = (n: number) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i % 5)}- item ${i}`).join('\n');

/** The events `consume` reads or writes while `parse` runs, counted through a proxy of the array it is given. */
function eventsTouched(consume: typeof libraryConsume, parse: () => unknown): number {
  let touched = 0;
  EditMap.prototype.consume = function (events) {
    const counted = new Proxy(events, {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/u.test(key)) touched++;
        return Reflect.get(target, key, receiver);
      },
      set: (target, key, value, receiver) => {
        if (typeof key === 'string' && /^\d+$/u.test(key)) touched++;
        return Reflect.set(target, key, value, receiver);
      },
    });
    return consume.call(this, counted);
  };
  parse();
  return touched;
}

describe('micromark edits applied in place', () => {
  afterEach(() => {
    EditMap.prototype.consume = linearConsume;
  });

  it('gives the same trees as micromark’s own consume, positions included', () => {
    const texts = [
      ...markdownFiles(GUIDE).map((file) => readFileSync(file, 'utf8')),
      setextHeadings(50),
      nestedItems(200),
      'Term\n---\n[ref]: https://x.example\nSetext after a definition\n===\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
      '> quote\n> - item\n>   - nested\n>\n> Heading in a quote\n> ---\n',
    ];
    for (const text of texts) {
      for (const parse of [COMMONMARK, MDX]) {
        EditMap.prototype.consume = libraryConsume;
        const library = JSON.stringify(parse(text));
        EditMap.prototype.consume = linearConsume;
        expect(JSON.stringify(parse(text))).toBe(library);
      }
    }
  });

  it('touches events in proportion to the file, where micromark’s own consume touches their square', () => {
    for (const make of [setextHeadings, nestedItems]) {
      const linear = [100, 200].map((n) => eventsTouched(linearConsume, () => COMMONMARK(make(n))));
      const library = [100, 200].map((n) => eventsTouched(libraryConsume, () => COMMONMARK(make(n))));
      // Twice the file: twice the work in place, four times with the copies.
      expect(linear[1]! / linear[0]!).toBeLessThan(2.2);
      expect(library[1]! / library[0]!).toBeGreaterThan(3.5);
      expect(linear[1]!).toBeLessThan(library[1]! / 10);
    }
  });
});
