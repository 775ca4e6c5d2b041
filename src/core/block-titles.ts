/**
 * Titled blocks around Markdown: documentation tools wrap parts of a page in blocks with a
 * title (`::: details Online editors`, `!!! note "Title"`, `=== "pip"`, `{% tab title="npm" %}`,
 * MyST's `{admonition}`). Their marker lines are not text (`isMarkerLine`, `doc-syntax.ts`); the
 * title names a part of the page, as a heading does, and `markdown.ts` makes it a level of the
 * section path of the passages inside, and does not merge prose across a block's edge.
 */
import type { Nodes, Root } from 'mdast';
import { clip, type Chunk } from './chunk.ts';

/** A titled block around Markdown and the lines it holds (0-based, inclusive). */
export interface TitledBlock {
  title: string;
  from: number;
  to: number;
}

/** A `:::` container's opening line, up to its name: `::: details`, `:::tip`, `:::{admonition}`. */
const COLON_OPENER = /^[ \t]*(:{3,})[ \t]*(\{?)([A-Za-z][\w-]*)\}?/u;
/** A line of only colons: closes the innermost `:::` container opened with as many or fewer. */
const COLON_CLOSER = /^[ \t]*(:{3,})[ \t]*$/u;
/** MyST directives whose argument is a title (the others take a path or a language). */
const TITLED_DIRECTIVES = new Set(['admonition', 'dropdown', 'tab-item', 'card', 'topic', 'sidebar']);
/** Python-Markdown's admonitions and content tabs, up to the quoted title: `!!! note "Title"`, `=== "pip"`. */
const INDENTED_OPENER = /^([ \t]*)(?:(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*|={3}[!+]?)[ \t]+"/u;
/** GitBook's tab: `{% tab title="npm" %}` … `{% endtab %}`. */
const GITBOOK_TAB = /^[ \t]*\{%[ \t]*tab[ \t]+title="([^"\n]*)"[ \t]*%\}[ \t]*$/u;
const GITBOOK_END_TAB = /^[ \t]*\{%[ \t]*endtab[ \t]*%\}[ \t]*$/u;
/** Cheap test before the line scan: a file with none of the openers has no titled blocks. */
const BLOCK_TITLE_HINT = /:::|!!!|\?\?\?|===|\{%[ \t]*tab|```\{|~~~\{/u;
/** Longer titles are clipped: a section path is shown with every reference. */
const BLOCK_TITLE_MAX_CHARS = 120;
/** Titled blocks inside this many open ones add no level: a file of unclosed openers must not make each path a list of thousands. */
const MAX_TITLED_DEPTH = 4;

/**
 * The titles of the blocks documentation tools wrap around Markdown, with the lines each
 * holds: VuePress's `::: details Online editors`, Docusaurus's `:::tip[Title]`, MyST's
 * `:::{admonition} Title`, code-group tabs (`::: code-group-item npm`), Python-Markdown's
 * `!!! note "Title"` and `=== "pip"`, GitBook's `{% tab title="npm" %}`. Their marker lines are
 * not text (`isMarkerLine`); the title names a part of the page, as a heading does, and becomes
 * a level of the section path of the passages inside. Untitled blocks (`::: tip`) add nothing.
 */
function titledBlocks(lines: readonly string[], isCode: (line: number) => boolean): TitledBlock[] {
  const out: TitledBlock[] = [];
  const colons: Array<{ count: number; block?: TitledBlock }> = [];
  const indented: Array<{ indent: number; block: TitledBlock }> = [];
  let tab: TitledBlock | undefined;
  let titledColons = 0; // open `:::` blocks with a title
  for (let i = 0; i < lines.length; i++) {
    // Code shows these blocks (a page documenting `:::tip[Title]`), it does not open them.
    if (isCode(i)) continue;
    const line = lines[i]!.endsWith('\r') ? lines[i]!.slice(0, -1) : lines[i]!;
    const blank = line.trim() === '';
    // An indented block ends before the first line not indented four columns past its marker, its body's indent.
    while (!blank && indented.length && indentOf(line) < indented[indented.length - 1]!.indent + 4) indented.pop()!.block.to = i - 1;
    const closer = COLON_CLOSER.exec(line);
    if (closer) {
      const top = colons[colons.length - 1];
      if (top && top.count <= closer[1]!.length) {
        colons.pop();
        if (top.block) {
          top.block.to = i;
          titledColons--;
        }
      }
      continue;
    }
    const opener = COLON_OPENER.exec(line);
    if (opener) {
      const name = opener[3]!;
      const myst = opener[2] === '{';
      const title = (myst && !TITLED_DIRECTIVES.has(name)) || titledColons + indented.length >= MAX_TITLED_DEPTH ? '' : colonTitle(line.slice(opener[0].length));
      const block = title ? { title, from: i, to: lines.length - 1 } : undefined;
      if (block) {
        out.push(block);
        titledColons++;
      }
      colons.push({ count: opener[1]!.length, ...(block ? { block } : {}) });
      continue;
    }
    const admonition = INDENTED_OPENER.exec(line);
    if (admonition) {
      const rest = line.slice(admonition[0].length);
      const close = rest.lastIndexOf('"');
      const title = close > 0 ? cleanTitle(rest.slice(0, close)) : '';
      if (title && titledColons + indented.length < MAX_TITLED_DEPTH) {
        const block = { title, from: i, to: lines.length - 1 };
        out.push(block);
        indented.push({ indent: indentOf(line), block });
      }
      continue;
    }
    const gitbook = GITBOOK_TAB.exec(line);
    if (gitbook) {
      // Tabs do not nest: a tab that opens ends the one before it.
      if (tab) tab.to = i - 1;
      const title = cleanTitle(gitbook[1]!);
      tab = title ? { title, from: i, to: lines.length - 1 } : undefined;
      if (tab) out.push(tab);
    } else if (tab && GITBOOK_END_TAB.test(line)) {
      tab.to = i;
      tab = undefined;
    }
  }
  return out;
}

/** The title of a MyST directive fenced as code (```` ```{admonition} Title ````), from its node's language and meta. */
function directiveTitle(lang: string | null | undefined, meta: string | null | undefined): string {
  if (!lang || !meta || lang[0] !== '{' || !TITLED_DIRECTIVES.has(lang.slice(1, -1))) return '';
  return cleanTitle(meta);
}

/** After a `:::` container's name: Docusaurus's `[Title]`, else the rest of the line. */
function colonTitle(rest: string): string {
  const trimmed = rest.trimStart();
  if (trimmed.startsWith('[')) {
    const close = trimmed.indexOf(']');
    return close > 0 ? cleanTitle(trimmed.slice(1, close)) : '';
  }
  // An attribute list is not a title (`::: tip {#id}`).
  return trimmed.startsWith('{') ? '' : cleanTitle(trimmed);
}

/** An icon shortcode (`:octicons-file-code-16:`, `:material-apple:`): drawn, not read. */
const ICON_SHORTCODE = /:[a-z\d]+(?:[-_+][a-z\d]+)*:/gu;

/** A title as plain text: no icon shortcodes, no code-span backticks, no enclosing quotes, whitespace folded (`clip`). */
function cleanTitle(raw: string): string {
  let title = clip(raw.replace(ICON_SHORTCODE, ' ').replaceAll('`', ''), Infinity);
  if (title.length >= 2 && (title[0] === '"' || title[0] === "'") && title.at(-1) === title[0]) title = title.slice(1, -1);
  return clip(title, BLOCK_TITLE_MAX_CHARS);
}

/** Columns of leading whitespace, a tab counting to the next multiple of four. */
function indentOf(line: string): number {
  let columns = 0;
  for (const char of line) {
    if (char === ' ') columns++;
    else if (char === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}

/**
 * The titled blocks of a file (`::: details Online editors`, `!!! note "Title"`: `titledBlocks`;
 * MyST's ```` ```{admonition} Title ````, parsed as code, from the tree), in order of their first line.
 */
export function findTitledBlocks(text: string, tree: Root): TitledBlock[] {
  if (!BLOCK_TITLE_HINT.test(text)) return [];
  // The code blocks' lines, in file order (a walk with a stack: nesting can be deep).
  const code: Array<[number, number]> = [];
  const directives: TitledBlock[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'code' && node.position) {
      const [from, to] = [node.position.start.line - 1, node.position.end.line - 1];
      code.push([from, to]);
      const title = directiveTitle(node.lang, node.meta);
      if (title) directives.push({ title, from, to });
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  let nextCode = 0;
  const blocks = titledBlocks(text.split('\n'), (line) => {
    while (nextCode < code.length && code[nextCode]![1] < line) nextCode++;
    return nextCode < code.length && code[nextCode]![0] <= line;
  });
  for (const directive of directives) blocks.push(directive);
  return directives.length ? blocks.sort((a, b) => a.from - b.from) : blocks;
}

/** The 0-based lines where a titled block starts or the line after it ends, sorted: a run of prose is not merged across one. */
export function blockCuts(blocks: readonly TitledBlock[]): number[] {
  return [...new Set(blocks.flatMap((block) => [block.from, block.to + 1]))].sort((a, b) => a - b);
}

/** Each passage that starts inside titled blocks gets their titles as levels of its section path, after the headings. */
export function addBlockTitles(blocks: readonly TitledBlock[], chunks: Chunk[], separator: string): void {
  if (!blocks.length) return;
  // One sweep: blocks open in line order, and few are open at once.
  const order = chunks.map((chunk, i) => i).sort((a, b) => chunks[a]!.lines[0] - chunks[b]!.lines[0]);
  let next = 0;
  let open: TitledBlock[] = [];
  for (const i of order) {
    const chunk = chunks[i]!;
    const line = chunk.lines[0] - 1;
    while (next < blocks.length && blocks[next]!.from <= line) open.push(blocks[next++]!);
    open = open.filter((block) => block.to >= line);
    const titles = open.filter((block) => block.from < line).map((block) => block.title);
    if (titles.length) chunk.section = [chunk.section, ...titles].filter(Boolean).join(separator);
  }
}
