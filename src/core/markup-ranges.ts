/**
 * Inline markup: the ranges of a passage that stay in its quote but are not analyzed (read as
 * spaces): HTML tags, MDX expressions and JSX tags, and site generators' template syntax
 * (`template-syntax.ts`), each `[start, end, …]` in file offsets and file order.
 */
import type { Nodes } from 'mdast';
import { inlineHtmlMarkup, offsets } from './doc-syntax.ts';
import { templateMarkup } from './template-syntax.ts';

/**
 * The markup of `node` (a paragraph, a table), which spans `range` of `text`: its HTML and
 * MDX, and the template syntax outside code spans (in a code span it is what the page shows:
 * Rust's `{:?}`, `&s2;`), in file order.
 */
export function inlineMarkup(text: string, node: Nodes, [from, to]: [number, number]): number[] {
  const ranges: number[] = [];
  htmlAndExpressions(text, node, ranges);
  const spans = codeSpans(node);
  const templates = templateMarkup(text, from, to);
  // Both in file order: the first code span not before each template range (one sweep).
  let span = 0;
  for (let i = 0; i < templates.length; i += 2) {
    while (span < spans.length && spans[span]![1] <= templates[i]!) span++;
    if (span === spans.length || spans[span]![0] >= templates[i + 1]!) ranges.push(templates[i]!, templates[i + 1]!);
  }
  return inFileOrder(ranges);
}

/** `[start, end, …]` ranges sorted by start. */
export function inFileOrder(ranges: readonly number[]): number[] {
  const order = Array.from({ length: ranges.length / 2 }, (_, i) => i).sort((a, b) => ranges[2 * a]! - ranges[2 * b]!);
  const out: number[] = [];
  for (const i of order) out.push(ranges[2 * i]!, ranges[2 * i + 1]!);
  return out;
}

/** The ranges of `markup` (file order) inside `[start, end)`, relative to `start`. */
export function markupWithin(markup: readonly number[], start: number, end: number): number[] {
  const inside: number[] = [];
  // Ranges are in file order (a tree walk), chunks nearly so: the first range ending after `start`.
  let lo = 0;
  let hi = markup.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (markup[2 * mid + 1]! <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = 2 * lo; i < markup.length && markup[i]! < end; i += 2) inside.push(Math.max(markup[i]!, start) - start, Math.min(markup[i + 1]!, end) - start);
  return inside;
}

/** The inline HTML under `node`, each tag's markup ranges (`inlineHtmlMarkup`), MDX expressions and JSX tags. */
function htmlAndExpressions(text: string, node: Nodes, out: number[]): void {
  const range = offsets(node);
  if (node.type === 'html') {
    if (range) for (const offset of inlineHtmlMarkup(text.slice(range[0], range[1]), range[0])) out.push(offset);
    return;
  }
  if (node.type === 'mdxTextExpression' || node.type === 'mdxFlowExpression') {
    if (range) out.push(range[0], range[1]);
    return;
  }
  if (node.type === 'mdxJsxTextElement' && range) {
    // Its tags are markup; what they hold is the text.
    const first = node.children.length ? offsets(node.children[0]!) : undefined;
    const last = node.children.length ? offsets(node.children[node.children.length - 1]!) : undefined;
    if (!first || !last) {
      out.push(range[0], range[1]);
      return;
    }
    out.push(range[0], first[0]);
    for (const child of node.children) htmlAndExpressions(text, child, out);
    out.push(last[1], range[1]);
    return;
  }
  if ('children' in node) for (const child of node.children as Nodes[]) htmlAndExpressions(text, child, out);
}

/** The offsets of the code spans under `node`. */
function codeSpans(node: Nodes): Array<[number, number]> {
  if (node.type === 'inlineCode') {
    const range = offsets(node);
    return range ? [range] : [];
  }
  return 'children' in node ? (node.children as Nodes[]).flatMap(codeSpans) : [];
}
