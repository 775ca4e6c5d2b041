/**
 * Markdown (`.md`, `.mdx`) → passages that follow the document's structure, parsed with
 * `mdast-util-from-markdown` (micromark; GFM tables and front matter as extensions),
 * whose nodes keep their source offsets, so every passage is still the exact slice of the
 * file at its lines.
 *
 * - A fenced or indented code block is never cut by prose rules: its lines inside the
 *   fence are a passage of their own, marked as code with its language; a long one is cut
 *   at blank lines inside it (else between lines), each piece still code.
 * - A table is one passage, or pieces of whole rows when longer than `TABLE_MAX_CHARS`;
 *   each carries the table's header row (`tableHeader`), shown above quotes that leave it out.
 * - Paragraphs, list items and block quotes are units like paragraphs; neighbouring
 *   paragraphs of one section, and the items of one list, are merged while they fit.
 *   Documentation tools' marker lines (`:::`, `!!! note`, `{% hint %}`, …) are left out and
 *   MyST directives walked as Markdown (`doc-syntax.ts`).
 * - Not indexed (their lines still count): front matter, YAML or TOML (its `title` becomes
 *   the title), MDX `import`/`export` statements,
 *   HTML comments, scripts and styles, link reference definitions, badge-only paragraphs and
 *   lists that only link to headings of the same file (tables of contents). HTML tags stay in
 *   the passage's text (it is the file's slice) but are not analyzed: their ranges are the
 *   chunk's `markup` (`inlineHtmlMarkup`, `htmlMarkup`); an HTML block is a passage of its
 *   visible text, or nothing when it has none or is one heading element (a page's banner).
 * - Headings are not passages: each passage carries the heading path above it (`section`).
 */
import type { Nodes, Parents, PhrasingContent, RootContent } from 'mdast';
import { parse as parseToml } from 'smol-toml';
import { codePieces } from './code-pieces.ts';
import { COMMONMARK, MDX, WITHOUT_INDENTED_CODE, type Parse } from './markdown-parser.ts';
import {
  codeLanguage, comments, offsets, frontMatterTitle, htmlMarkup, isHtmlHeading, isWidget, directiveBody, isCodeDirective, isEsmBlock, isIncludeOnly, isMarkerLine, isNavigationDirective, isTableOfContents,
  cutAtContainerMarkers, onlyDecoration, usesIndentedBlocks, visibleRange, withoutAttributeList, withoutContainerMarkers, withoutEdgeComments,
} from './doc-syntax.ts';
import { addBlockTitles, blockCuts, findTitledBlocks } from './block-titles.ts';
import { inFileOrder, inlineMarkup, markupWithin } from './markup-ranges.ts';
import { templateCodeBlocksOver, templateMarkup, withoutTemplateSyntax, type TemplateCode } from './template-syntax.ts';
import { parse as parseYaml } from 'yaml';
import { addBlock, clip, toChunk, trimRange, type Chunk, type ChunkedDocument } from './chunk.ts';
import { SECTION_SEPARATOR, type TableHeader } from './passage.ts';
import { lineAt, lineStarts } from './text.ts';
import { TABLE_HEADER_MAX_CHARS, TABLE_MAX_CHARS } from './options.ts';

// mdast types YAML front matter only; TOML (`+++`) is typed by whoever enables it.
declare module 'mdast' {
  interface Toml extends Literal {
    type: 'toml';
  }
  interface RootContentMap {
    toml: Toml;
  }
}

/** Directives inside directives deeper than this are quoted as they are (each level is parsed again). */
const MAX_DIRECTIVE_DEPTH = 4;
/**
 * Directive bodies parsed per file, beyond which a body is cut by blank lines like a `.txt`
 * paragraph: a parse costs ~0.3 ms however short the body (5,000 directives took 2 s).
 */
const MAX_DIRECTIVE_PARSES = 200;

export function chunkMarkdown(text: string, fileName: string, maxChars: number): ChunkedDocument {
  const mdx = /\.mdx$/iu.test(fileName);
  // MDX has no indented code, and in Python-Markdown's admonitions and tabs indentation is the
  // block's body: there, as in MDX, only fences are code.
  const parse = mdx ? MDX : usesIndentedBlocks(text) ? WITHOUT_INDENTED_CODE : COMMONMARK;
  const tree = parse(text);
  // micromark drops a byte order mark before it counts offsets: count it back in, or every
  // passage of the file would be cut one character early.
  if (text.charCodeAt(0) === 0xfeff) for (const node of tree.children) shiftOffsets(node, 1);
  const titled = findTitledBlocks(text, tree);
  const chunker = new MarkdownChunker(text, mdx, maxChars, parse, blockCuts(titled));
  // Code held by template tags is code: the nodes it was parsed into (paragraphs, mostly) are
  // left out for it, when they lie wholly inside it.
  const blocks = templateCodeBlocksOver(text, tree.children);
  let next = 0;
  let emitted: TemplateCode | undefined;
  for (const node of tree.children) {
    const range = offsets(node);
    while (next < blocks.length && range && range[0] >= blocks[next]!.closeEnd) next++;
    const block = blocks[next];
    if (block && range && range[0] >= block.openStart && range[1] <= block.closeEnd) {
      if (block !== emitted) chunker.templateCode(block);
      emitted = block;
      continue;
    }
    chunker.visit(node);
  }
  chunker.flushProse();
  const { chunks, frontTitle, titleHeading } = chunker;

  const base = fileName.slice(fileName.lastIndexOf('/') + 1).replace(/\.[^.]+$/u, '');
  const title = clip(frontTitle ?? titleHeading?.text ?? base);
  // The document's own heading is its title, not a section of it; beside a front-matter
  // title only an `# h1` is (Hugo's and Jekyll's pages start at `## Example`: a section).
  const own = frontTitle === undefined || titleHeading?.depth === 1 ? titleHeading?.text : undefined;
  const top = own === undefined ? undefined : own + SECTION_SEPARATOR;
  for (const chunk of chunks) {
    if (chunk.section === own) delete chunk.section;
    else if (top && chunk.section?.startsWith(top)) chunk.section = chunk.section.slice(top.length);
  }
  addBlockTitles(titled, chunks, SECTION_SEPARATOR);
  return { title, chunks };
}

/** One walk over a Markdown tree: the chunks in file order, each with its section. */
class MarkdownChunker {
  readonly chunks: Chunk[] = [];
  frontTitle: string | undefined;
  /**
   * The heading that names the document: the first `# h1`, or a first heading of any level
   * with no text before it. A `## Settings` after an intro (Obsidian's pages have no h1: the
   * file name is the title) names a section, not the document.
   */
  titleHeading: { text: string; depth: number } | undefined;
  private readonly starts: number[];
  private readonly headings: string[] = [];
  private section: string | undefined;
  // Paragraphs of one section in a row, emitted together: neighbours that fit in one passage
  // are one (a question's answer is often the paragraph after the one that names it). Any
  // other node ends the run, so a passage never spans a heading, code, a table or skipped lines.
  private readonly prose: Array<[number, number]> = [];
  /** Inline HTML to leave unanalyzed, `[start, end, …]` file offsets in file order. */
  private readonly markup: number[] = [];
  /** How many directives deep the walk is, and how many bodies were parsed (`directive`). */
  private depth = 0;
  private directiveParses = 0;

  constructor(
    private readonly text: string,
    private readonly mdx: boolean,
    private readonly maxChars: number,
    private readonly parse: Parse,
    /** `blockCuts`: prose on either side of one of these lines is not one passage. */
    private readonly cuts: readonly number[] = [],
  ) {
    this.starts = lineStarts(text);
  }

  /** Which stretch between titled-block boundaries (`cuts`) the file offset lies in. */
  private regionOf(offset: number): number {
    const line = lineAt(this.starts, offset) - 1;
    let [lo, hi] = [0, this.cuts.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cuts[mid]! <= line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** `listUnits`: inside a list, prose goes there (merged with the list's other items). */
  visit(node: RootContent, listUnits?: Array<[number, number]>): void {
    const range = offsets(node);
    if (node.type !== 'paragraph' && !listUnits) this.flushProse();
    switch (node.type) {
      case 'yaml':
        // Without checking each key against every other: that took the square of the keys (20,000: 3.4 s).
        this.frontTitle ??= frontMatterTitle(node.value, (text) => parseYaml(text, { uniqueKeys: false }));
        return;
      case 'toml': // Hugo's `+++` front matter
        this.frontTitle ??= frontMatterTitle(node.value, parseToml);
        return;
      case 'heading':
        return this.heading(node);
      case 'html':
        if (range) this.htmlBlock(range);
        return;
      case 'mdxjsEsm':
      case 'mdxFlowExpression':
      case 'definition':
      case 'thematicBreak':
      case 'footnoteDefinition':
        return;
      case 'code':
      {
        if (!range || isNavigationDirective(node.lang) || this.directive(node, range)) return;
        // A MyST code directive's code is its body, options left out.
        const code = node.lang?.startsWith('{') ? directiveBody(this.text, range) : range;
        if (code) this.emit(codePieces(this.text, code, this.starts, this.maxChars).filter((piece) => !isIncludeOnly(piece.text)), { lang: codeLanguage(node) });
        return;
      }
      case 'table':
        if (range) this.table(node, range);
        return;
      case 'paragraph':
        return this.paragraph(node, range, listUnits);
      case 'list':
        return this.list(node, listUnits);
      default:
        if ('children' in node) for (const child of (node as Parents).children as RootContent[]) this.visit(child, listUnits);
        if (!listUnits) this.flushProse();
    }
  }

  /**
   * A MyST directive that holds Markdown (```` ```{note} ````): its body, past its option
   * lines (`:class: tip`), parsed and walked as the file's own nodes. False when the fence is code.
   */
  private directive(node: Extract<RootContent, { type: 'code' }>, [start, end]: [number, number]): boolean {
    if (!node.lang?.startsWith('{') || isCodeDirective(node.lang) || this.depth >= MAX_DIRECTIVE_DEPTH) return false;
    const text = this.text;
    const body = directiveBody(text, [start, end]);
    if (!body) return true;
    const [from, to] = body;
    if (this.directiveParses >= MAX_DIRECTIVE_PARSES) {
      this.flushProse();
      for (const block of blankLineBlocks(text, from, to)) this.prose.push(block);
      this.flushProse();
      return true;
    }
    this.directiveParses++;
    this.depth++;
    for (const child of this.parse(text.slice(from, to)).children) {
      shiftOffsets(child, from);
      this.visit(child);
    }
    this.flushProse();
    this.depth--;
    return true;
  }

  /**
   * An HTML block (a `<details>`, a component such as `<Callout>`, an HTML table): its visible
   * text is prose, its tags, comments, scripts and styles markup (`htmlMarkup`). A block with
   * no text outside them — a comment, badges, a `<div align="center">` — is left out, and the
   * passage starts and ends on lines that hold text.
   */
  private htmlBlock([start, end]: [number, number]): void {
    const { text } = this;
    // An HTML heading alone is a page's banner: documentation generators take a page's title
    // and outline from its Markdown headings only, so it is neither a passage (a one-word
    // "Fastify" atop 40 pages) nor the title ("## Getting Started" under it is).
    if (isHtmlHeading(text.slice(start, end))) return;
    const { markup, tags } = htmlMarkup(text.slice(start, end), start);
    // A widget (a mock Discord chat) shows a mock-up, not prose: quoted, it was mostly tags.
    if (isWidget(text.slice(start, end), tags, start)) return;
    // Liquid in an HTML block (Jekyll builds tables with `{% for %}`) is markup too.
    for (const offset of inFileOrder([...markup, ...templateMarkup(text, start, end)])) this.markup.push(offset); // a block may hold more tags than a call takes arguments
    // A comment is never quoted: the text between comments is cut apart, each part the whole
    // lines from its first text to its last.
    const hidden = comments(text, tags);
    let partStart = start;
    for (const [commentStart, commentEnd] of [...hidden, [end, end] as [number, number]]) {
      const part: [number, number] = [partStart, commentStart];
      partStart = commentEnd;
      const visible = visibleRange(text, part[0], part[1], tags);
      if (!visible) continue;
      const lineEnd = text.indexOf('\n', visible[1]);
      // A part holds no comment: the lines around its text, cut at its ends, are the passage.
      const lines = trimRange(text, Math.max(text.lastIndexOf('\n', visible[0]) + 1, part[0]), lineEnd < 0 || lineEnd > part[1] ? part[1] : lineEnd) ?? visible;
      // An HTML block runs to a blank line: a `::: tip` right under a `<span id>` is in it.
      const kept = withoutContainerMarkers(text, lines);
      if (kept) this.emitProse(kept[0], kept[1]);
    }
  }

  flushProse(): void {
    this.emitMerged(this.prose);
  }

  templateCode(block: TemplateCode): void {
    this.flushProse();
    this.emit(codePieces(this.text, [block.from, block.to], this.starts, this.maxChars), { lang: block.lang });
  }

  private heading(node: Extract<RootContent, { type: 'heading' }>): void {
    const title = withoutAttributeList(withoutTemplateSyntax(plainText(node)));
    if (!title) return;
    if (!this.titleHeading && (node.depth === 1 || (this.chunks.length === 0 && this.prose.length === 0))) this.titleHeading = { text: title, depth: node.depth };
    const headings = this.headings;
    headings.length = Math.min(headings.length, node.depth - 1);
    while (headings.length < node.depth - 1) headings.push('');
    headings.push(title);
    this.section = headings.filter(Boolean).join(SECTION_SEPARATOR) || undefined;
  }

  private table(node: Extract<RootContent, { type: 'table' }>, range: [number, number]): void {
    const { text, starts, maxChars } = this;
    // A piece of a table is an exact slice of the file, so a piece after the first cannot
    // hold the header row: every piece carries it beside its text, and a quote of rows
    // below it shows it above them, citing its line.
    const rows = node.children.map(offsets).filter((r): r is [number, number] => r !== undefined);
    // A container's closing `:::` right under a table is read as one more row: it is not one.
    while (rows.length > 1 && isMarkerLine(text.slice(rows[rows.length - 1]![0], rows[rows.length - 1]![1]))) rows.pop();
    range = [range[0], rows[rows.length - 1]?.[1] ?? range[1]];
    const header = rows[0] && rows[0][1] - rows[0][0] <= TABLE_HEADER_MAX_CHARS ? { line: lineAt(starts, rows[0][0]), text: text.slice(rows[0][0], rows[0][1]) } : undefined;
    // Whole while it fits a Discord answer.
    const pieces = range[1] - range[0] <= Math.max(maxChars, TABLE_MAX_CHARS) ? [range] : windows(rows, maxChars);
    this.collectMarkup(node, range);
    this.emit(pieces.map((piece) => this.withMarkup(toChunk(text, piece, starts), piece[0])), undefined, header);
  }

  private paragraph(node: Extract<RootContent, { type: 'paragraph' }>, range: [number, number] | undefined, listUnits?: Array<[number, number]>): void {
    const parts = range ? cutAtContainerMarkers(this.text, range) : [];
    if (!range || parts.length === 1) return this.paragraphPart(node, range, listUnits);
    // Each part with the inline nodes it overlaps: each reading all of them took the square of
    // the paragraph's lines (4,000 `:::{note}` lines, 4 s).
    const children = node.children;
    const span = (child: PhrasingContent) => offsets(child) ?? range;
    let first = 0;
    for (const part of parts) {
      while (first < children.length && span(children[first]!)[1] <= part[0]) first++;
      const overlapping: PhrasingContent[] = [];
      for (let i = first; i < children.length && span(children[i]!)[0] <= part[1]; i++) overlapping.push(children[i]!);
      this.paragraphPart({ ...node, children: overlapping }, part, listUnits);
    }
  }

  /** A paragraph, or the part of one between container marker lines. */
  private paragraphPart(node: Extract<RootContent, { type: 'paragraph' }>, range: [number, number] | undefined, listUnits?: Array<[number, number]>): void {
    const text = this.text;
    const markers = range && !onlyDecoration(node.children) && !isEsmBlock(text.slice(range[0], range[1]), !this.mdx) ? withoutContainerMarkers(text, range) : undefined;
    const kept = markers && withoutEdgeComments(text, node, markers);
    if (kept) this.collectMarkup(node, kept);
    // What is cut off (container markers, an edge comment) ends the run on its side, and a
    // paragraph left out ends it: a merged run is one slice of the file and would take them
    // back in. In a list too.
    const trimmed = range && trimRange(text, range[0], range[1]);
    const run = listUnits ?? this.prose;
    if (!kept || !trimmed || kept[0] !== trimmed[0]) this.emitMerged(run);
    // Nor is prose inside a titled block merged with prose outside it (an indented `!!! note` body has no closing line).
    if (kept && run.length && this.cuts.length && this.regionOf(run[run.length - 1]![1]) !== this.regionOf(kept[0])) this.emitMerged(run);
    if (kept) run.push(kept);
    if (!kept || !trimmed || kept[1] !== trimmed[1]) this.emitMerged(run);
  }

  private list(node: Extract<RootContent, { type: 'list' }>, listUnits?: Array<[number, number]>): void {
    if (isTableOfContents(node)) return;
    // A nested list adds to its parent's run, so that whatever ends the run (code, a table,
    // a cut marker) ends all of it: a run kept apart would be merged across the code later.
    const units = listUnits ?? [];
    for (const item of node.children) {
      for (const child of item.children) {
        // Prose of the list's items is merged while it fits; code or a table inside an item stands alone.
        if (child.type === 'paragraph' || child.type === 'list') this.visit(child, units);
        else {
          this.emitMerged(units);
          this.visit(child);
        }
      }
    }
    if (listUnits) return;
    // A list whose last item ends in a colon introduces the paragraph under it (tldr's "- Extract
    // an archive:" above its command): the run goes on into it.
    if (this.introduces(units)) this.prose.push(...units.splice(0));
    else this.emitMerged(units);
  }

  /** Whether a run's last prose ends in a colon: what comes next is what it introduces. */
  private introduces(run: ReadonlyArray<[number, number]>): boolean {
    const last = run[run.length - 1];
    return last !== undefined && this.text.slice(last[0], last[1]).trimEnd().endsWith(':');
  }

  /** `chunk`, which starts at file offset `start`, with the markup inside it relative to it. */
  private withMarkup(chunk: Chunk, start: number): Chunk {
    const inside = markupWithin(this.markup, start, start + chunk.text.length);
    return inside.length > 0 ? { ...chunk, markup: inside } : chunk;
  }

  /** The inline markup of `node`, which spans `range`, after what was collected before it (`inlineMarkup`). */
  private collectMarkup(node: Nodes, range: [number, number]): void {
    for (const offset of inlineMarkup(this.text, node, range)) this.markup.push(offset); // more than a call takes arguments, maybe
  }

  private emit(added: Chunk[], code?: { lang: string }, tableHeader?: TableHeader): void {
    const section = this.section;
    for (const chunk of added) this.chunks.push({ ...chunk, ...(section ? { section } : {}), ...(code ? { code } : {}), ...(tableHeader ? { tableHeader } : {}) });
  }

  /** Emits `units` (taken out of the array), neighbours merged while they fit. */
  private emitMerged(units: Array<[number, number]>): void {
    for (const window of windows(units.splice(0), this.maxChars)) this.emitProse(window[0], window[1]);
  }

  /** The prose between offsets `from` and `to` as passages (`addBlock`), each with its markup. */
  private emitProse(from: number, to: number): void {
    const added: Chunk[] = [];
    addBlock(this.text, from, to, this.starts, this.maxChars, added, true);
    // The pieces are slices of the range in order with only whitespace and quote markers between them.
    let at = from;
    this.emit(added.map((chunk) => {
      const start = this.text.indexOf(chunk.text, at);
      at = start + chunk.text.length;
      return this.withMarkup(chunk, start);
    }));
  }
}

/** The runs of non-blank lines between offsets `from` and `to`, trimmed. */
function blankLineBlocks(text: string, from: number, to: number): Array<[number, number]> {
  const blocks: Array<[number, number]> = [];
  let blockStart = -1;
  for (let at = from; at <= to; ) {
    const newline = text.indexOf('\n', at);
    const lineEnd = newline === -1 || newline > to ? to : newline;
    const blank = !text.slice(at, lineEnd).trim();
    if (!blank && blockStart < 0) blockStart = at;
    if ((blank || lineEnd === to) && blockStart >= 0) {
      const block = trimRange(text, blockStart, blank ? at : lineEnd);
      if (block) blocks.push(block);
      blockStart = -1;
    }
    at = lineEnd + 1;
  }
  return blocks;
}

/** Moves a subtree parsed from a slice of the file to the slice's place in it (`start`). */
function shiftOffsets(node: Nodes, start: number): void {
  const position = node.position;
  if (position?.start.offset !== undefined) position.start.offset += start;
  if (position?.end.offset !== undefined) position.end.offset += start;
  if ('children' in node) for (const child of node.children as Nodes[]) shiftOffsets(child, start);
}

function plainText(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  if (node.type === 'image' || node.type === 'html' || node.type === 'mdxTextExpression') return '';
  return 'children' in node ? (node.children as Nodes[]).map(plainText).join('') : '';
}

/** Adjacent ranges merged while the merged span fits. */
function windows(ranges: Array<[number, number]>, maxChars: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const range of ranges) {
    const current = out[out.length - 1];
    if (current && range[1] - current[0] <= maxChars) current[1] = range[1];
    else out.push([range[0], range[1]]);
  }
  return out;
}
