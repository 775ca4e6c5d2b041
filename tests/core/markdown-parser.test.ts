/**
 * Markdown that took the square of its size, now linear: `.mdx` files whose `{…}` expressions
 * can never parse (Liquid tags, prose in braces), read as Markdown as MDX's own error would have
 * them, and a paragraph cut at thousands of container marker lines.
 */
import { describe, expect, it } from 'vitest';
import { MDX, WITHOUT_INDENTED_CODE } from '../../src/core/markdown-parser.ts';
import { chunkFile } from '../../src/library/documents.ts';

/** A page that opens with a Liquid tag, then `n` code examples full of `}`. */
const liquidThenCode = (n: number) => `{% raw %}\n\n${Array.from({ length: n }, (_, i) => `\`\`\`js\nfunction f${i}() { return { a: ${i} }; }\n\`\`\``).join('\n\n')}\n`;

const types = (tree: ReturnType<typeof MDX>) => tree.children.map((node) => node.type);

/** The fastest of three runs of `work`, in ms. */
function fastestMs(work: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
const parseMs = (text: string) => fastestMs(() => MDX(text));

describe('MDX expressions', () => {
  it('a page with an expression that cannot parse is read as Markdown, as MDX’s error has it', () => {
    for (const text of [
      liquidThenCode(20),
      Array.from({ length: 20 }, (_, i) => `{% tab title="npm ${i}" %}\nInstall it.\n{% endtab %}`).join('\n\n'),
      'Send { "key": "value" } to the API.\n\n```js\nif (x) { y(); }\n```\n',
      'A {two words} aside, then {1 + 1}.\n',
    ]) {
      expect(MDX(text)).toEqual(WITHOUT_INDENTED_CODE(text));
    }
  });

  it('a `}` inside a string, comment or template of an expression still closes it later, as MDX', () => {
    for (const expression of ['{"a}b"}', '{/* } */ 1}', '{`}`}', "{['}', '{'].join('')}"]) {
      const tree = MDX(`${expression}\n\nText after.\n`);
      expect(types(tree)).toEqual(['mdxFlowExpression', 'paragraph']);
    }
    expect(types(MDX('<Note>\n\nSee {props.title}.\n\n</Note>\n'))).toEqual(['mdxJsxFlowElement']);
  });

  it('costs in proportion to the page, not its square', () => {
    parseMs(liquidThenCode(50)); // warm up
    const small = parseMs(liquidThenCode(300));
    const large = parseMs(liquidThenCode(1200));
    // Four times the page: about four times the time; MDX re-reading the growing expression at every `}` took sixteen.
    expect(large / small).toBeLessThan(8);
  });
});

describe('a paragraph cut at container marker lines', () => {
  /** One MDX paragraph of `n` MyST `:::{note}` lines, each with its text: `n` parts. */
  const markerLines = (n: number) => Array.from({ length: n }, (_, i) => `:::{note}\ntext ${i}`).join('\n');

  it('gives a passage per part', () => {
    expect(chunkFile('notes.mdx', markerLines(50)).chunks.map((chunk) => chunk.text)).toEqual(Array.from({ length: 50 }, (_, i) => `text ${i}`));
  });

  it('costs in proportion to its lines, not their square', () => {
    fastestMs(() => chunkFile('notes.mdx', markerLines(200))); // warm up
    const small = fastestMs(() => chunkFile('notes.mdx', markerLines(1000)));
    const large = fastestMs(() => chunkFile('notes.mdx', markerLines(4000)));
    // Four times the lines: about four times the time; each part reading the whole paragraph's nodes took sixteen.
    expect(large / small).toBeLessThan(8);
  });
});
