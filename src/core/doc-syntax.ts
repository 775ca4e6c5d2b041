/**
 * What documentation tools write around Markdown, told apart from what a page says: the
 * marker lines of their blocks (VuePress/Docusaurus `:::`, MkDocs `!!!` and `===`, GitBook
 * `{% hint %}`, Hugo shortcodes, GitHub alerts), MyST directives, heading attribute lists,
 * code-fence info-string suffixes, inline HTML tags, MDX `import`/`export`, badges and tables
 * of contents. `markdown.ts` walks the parsed tree and asks these.
 */
import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { afterQuoteMarkers, trimRange } from './chunk.ts';

/**
 * A line that opens or closes a block around Markdown, left out of the passage: VuePress and
 * Docusaurus `:::`, Python-Markdown's admonitions (`!!! note "Title"`, collapsible `???`),
 * content tabs (`=== "pip"`) and blocks (`/// tip`, nested `//// tab | pip`), GitHub's alert line (`> [!NOTE]`), a
 * line that is one Liquid/Jinja tag (GitBook's `{% hint style="info" %}`, Jekyll's
 * `{% include … %}`), one Hugo shortcode (`{{< note >}}`), a line that pulls in another file
 * (`INCLUDE_LINE`), an attribute list alone on its line (kramdown's `{: .note}`
 * and `{: #id}` under a heading, Python-Markdown's `{#id .class}`), a MyST target (`(install)=`), and table-of-contents markers
 * (`[[toc]]`, `[TOC]`, `{:toc}`).
 */
const CONTAINER_MARKER = /^[ \t]*(?::{3,}|(?:!!!|\?\?\?\+?) +[A-Za-z]|={3}[!+]? +"|\/{3,}(?: |$)|\[![A-Za-z]+\][ \t]*$|\{%[^\n]*%\}[ \t]*$|\{\{[<%][^\n]*[>%]\}\}[ \t]*$|\{[:#.][^}\n]*\}[ \t]*$|\([\w.:-]+\)=[ \t]*$|(?:\[\[toc\]\]|\[toc\])[ \t]*$)/iu;

/** A line that opens or closes a block around Markdown (`CONTAINER_MARKER`) or pulls in a file (`INCLUDE_LINE`). */
export function isMarkerLine(line: string): boolean {
  return CONTAINER_MARKER.test(line) || INCLUDE_LINE.test(line);
}

/** A MyST directive's option line (`:class: tip`), under its `:::{note}` line. */
const DIRECTIVE_OPTION = /^[ \t]*:[\w-]+:(?:[ \t]|$)/u;

/**
 * A line that pulls in another file when the site is built: an mdBook directive
 * (`{{#include ../listings/main.rs}}`, `{{#rustdoc_include …}}`), a PyMdown snippet
 * (`--8<-- "docs/example.py"`, or the bare `--8<--` around a list of files; `;--8<--` is the
 * escaped, shown form), markdown-include's `{! file.md !}` and `{!> file.py !}`, FastAPI's
 * `{* ../../docs_src/app.py hl[3] *}`.
 */
const INCLUDE_LINE = /^[ \t]*(?:\{\{#[^\n]*\}\}|-+8<-+(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'))?|\{![^\n]*!\}|\{\*[^\n]*\*\})[ \t]*$/u;

/**
 * Code made only of include lines (```` ```rust ```` around `{{#include ../listings/…}}`,
 * ```` ```python ```` around `--8<-- "app.py"`): the code lives in another file, and the line is
 * not worth quoting.
 */
export function isIncludeOnly(code: string): boolean {
  return code.split('\n').every((line) => !line.trim() || INCLUDE_LINE.test(line));
}

/** A link to a page of the same docs: a relative path to a Markdown file, maybe with an anchor. */
const LOCAL_PAGE = /^(?![a-z][a-z\d+.-]*:|\/\/)[^?#\s]*\.(?:md|mdx|markdown)(?:#[^\s]*)?$/iu;

/** A line of HTML tags and nothing else. */
const TAGS_ONLY = /^[ \t]*(?:<[^>\n]*>[ \t]*)+$/u;

/** Python-Markdown's indented blocks: admonitions and content tabs, whose body is indented 4 spaces. */
const INDENTED_BLOCKS = /^(?:(?:!!!|\?\?\?\+?) +[A-Za-z]|={3}[!+]? +")/mu;

/** MyST (Sphinx) directives fenced as code that hold code; the others (`{note}`, `{tip}`, …) hold Markdown. */
const CODE_DIRECTIVES = new Set(['{code-block}', '{code}', '{code-cell}', '{sourcecode}', '{math}', '{mermaid}', '{eval-rst}', '{raw}', '{graphviz}']);
/** Those whose argument is the language (` ```{code-block} python `); the others are their own (`math`). */
const LANGUAGE_ARGUMENT = new Set(['{code-block}', '{code}', '{code-cell}', '{sourcecode}', '{raw}']);
/** MyST directives that are navigation or pull in other files: no text of their own. */
const NAVIGATION_DIRECTIVES = new Set(['{toctree}', '{contents}', '{tableofcontents}', '{include}', '{literalinclude}']);

/** A MyST directive with no text of its own (`{toctree}`'s file list, `{literalinclude}`'s path). */
export function isNavigationDirective(lang: string | null | undefined): boolean {
  return lang !== null && lang !== undefined && NAVIGATION_DIRECTIVES.has(lang);
}

/**
 * The body of a MyST directive fenced as code, from its node's offsets: past the fence line and
 * the option lines under it (`:class: tip`, `:linenos:`), before the closing fence; none when empty.
 */
export function directiveBody(text: string, [start, end]: [number, number]): [number, number] | undefined {
  let from = text.indexOf('\n', start) + 1;
  while (from > 0 && from < end && DIRECTIVE_OPTION.test(lineFrom(text, from))) from = text.indexOf('\n', from) + 1;
  const closing = text.lastIndexOf('\n', end - 1);
  const to = closing > from && /^ {0,3}(`{3,}|~{3,})\s*$/u.test(text.slice(closing + 1, end)) ? closing : end;
  return from > 0 && to > from ? [from, to] : undefined;
}

/**
 * MDX: a paragraph of `import`/`export` statements is code for the site, not content. Docusaurus
 * compiles `.md` files as MDX too, so a `.md` paragraph is taken for one only when it opens with
 * a module statement proper (`import Tabs from '@theme/Tabs';`, `export const …`), not a shell
 * line such as `export TOKEN=…` (`strict`).
 */
export function isEsmBlock(paragraph: string, strict = false): boolean {
  if (strict && !/^(?:import\s[^\n]*\sfrom\s*['"]|import\s*['"{]|export\s+(?:const|let|var|default|function|class|async)\s)/u.test(paragraph)) return false;
  return /^(?:import|export)\s/u.test(paragraph) && paragraph.split('\n').every((line) => /^(?:(?:import|export)\s|\s|[}\])]|$)/u.test(line));
}

/**
 * A heading's id in an attribute list (`#install`): any character but space, brace, quote and
 * angle bracket, as VitePress and Vue's docs write `{#vue.js-privacy-policy}`, `{#…-–-accessible-…}`.
 */
const HEADING_ID = /^#[^\s{}"'<>]+$/u;

/**
 * A heading without its trailing attribute list — `{ #id .class key="value" }` in Python-Markdown
 * (`attr_list`), Pandoc and MyST, `{#custom-id}` in Docusaurus, an MDX comment holding the id on
 * react.dev — which sets the page's anchor, not its words. Braces holding anything else (`Using {braces}`) stay.
 */
export function withoutAttributeList(heading: string): string {
  // Nextra's `## Title [#custom-id]`.
  if (/ \[#[\w-]+\]$/u.test(heading)) return heading.slice(0, heading.lastIndexOf(' [#')).trimEnd();
  if (!heading.endsWith('}')) return heading;
  const open = heading.lastIndexOf('{');
  if (open < 0) return heading;
  // react.dev's ids are MDX comments, `{/*usestate*/}`: in a `.md` file's text, `{/usestate/}`.
  if (/^\{\/\*?[\w-]*\*?\/\}$/u.test(heading.slice(open))) return heading.slice(0, open).trimEnd();
  const tokens = heading.slice(open + 1, -1).replace(/^:/u, '').trim().split(/\s+/u);
  const attribute = (token: string) => HEADING_ID.test(token) || /^\.[\w-]+$/u.test(token) || /^[\w-]+=/u.test(token) || /^data-[\w-]+$/u.test(token);
  // Quoted values may hold spaces: a token that continues one (`label="Overriding blocks"`) is part of it.
  let inQuote = false;
  for (const token of tokens) {
    if (!inQuote && token && !attribute(token)) return heading;
    const quotes = (token.match(/"/gu) ?? []).length;
    if (quotes % 2 === 1) inQuote = !inQuote;
  }
  return tokens[0] ? heading.slice(0, open).trimEnd() : heading;
}

/**
 * A code block's language: the info string's first word without what site generators add to
 * it (VuePress/VitePress `sh:no-line-numbers`, `js{4}`, `ts [app.ts]`); a MyST code
 * directive's argument (```` ```{code-block} python ````).
 */
export function codeLanguage(node: Extract<RootContent, { type: 'code' }>): string {
  if (node.lang?.startsWith('{') && !LANGUAGE_ARGUMENT.has(node.lang)) return node.lang.slice(1, -1).replace(/^eval-/u, '');
  const word = node.lang?.startsWith('{') ? (node.meta?.trim().split(/\s/u)[0] ?? '') : (node.lang ?? '');
  return /^[\w+#.-]*/u.exec(word)![0];
}

export function frontMatterTitle(value: string, parse: (text: string) => unknown): string | undefined {
  try {
    const data = parse(value);
    const title = data && typeof data === 'object' ? (data as Record<string, unknown>).title : undefined;
    return typeof title === 'string' && title.trim() ? title.trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The markup of one inline HTML node (its source `html`, at file offset `start`), as
 * `[start, end, …]`: a comment, a closing tag or a declaration is markup throughout; an
 * opening tag is markup but for the values of the attributes that are text a reader is shown
 * (`TEXT_ATTRIBUTES`: `<img alt="Bot settings">` keeps the alt text). A component's own
 * props (`<DocsLink path="Client:Class"/>`, `profile="bot"`) are markup: what they render
 * is not in the file.
 */
export function inlineHtmlMarkup(html: string, start: number): number[] {
  if (!/^<[A-Za-z]/u.test(html)) return [start, start + html.length];
  const out: number[] = [];
  let at = 0;
  const nameEnd = html.search(/[\s/>]/u);
  for (const match of html.slice(nameEnd < 0 ? html.length : nameEnd).matchAll(ATTRIBUTE)) {
    const value = match[2] ?? match[3];
    if (!value || !TEXT_ATTRIBUTES.has(match[1]!.toLowerCase())) continue;
    const valueStart = (nameEnd < 0 ? html.length : nameEnd) + match.index + match[0].length - 1 - value.length;
    if (valueStart > at) out.push(start + at, start + valueStart);
    at = valueStart + value.length;
  }
  if (at < html.length) out.push(start + at, start + html.length);
  return out;
}

/**
 * Whether an HTML block is one heading element and nothing else: `<h1 align="center">Fastify</h1>`,
 * the banner atop every page of Fastify's docs, or a README's centered name.
 */
export function isHtmlHeading(html: string): boolean {
  const block = html.trim();
  const level = /^<h([1-6])[\s>]/iu.exec(block.slice(0, 4))?.[1];
  if (!level) return false;
  const close = `</h${level}>`;
  return block.toLowerCase().endsWith(close) && !/<h[1-6][\s>]/iu.test(block.slice(3, -close.length));
}

/**
 * An HTML block (its source `html`, at file offset `start`): `markup`, as `[start, end, …]`,
 * every tag (as `inlineHtmlMarkup` reads one), comment, declaration, and `<script>` or
 * `<style>` element whole; `tags`, the same constructs each whole (what is between them is
 * the block's text). One pass; a construct left open runs to the end of the block.
 */
export function htmlMarkup(html: string, start: number): { markup: number[]; tags: number[] } {
  const out: number[] = [];
  const tags: number[] = [];
  let lower: string | undefined; // for `</script>` and `</style>`, made once
  let at = html.indexOf('<');
  while (at >= 0 && at < html.length) {
    const element = /^<(script|style)\b/iu.exec(html.slice(at, at + 8))?.[1]?.toLowerCase();
    let end: number;
    if (html.startsWith('<!--', at)) end = closeAfter(html, '-->', at + 4);
    else if (element) end = closeAfter((lower ??= html.toLowerCase()), `</${element}>`, at);
    else if (/^<[A-Za-z/!?]/u.test(html.slice(at, at + 2))) end = tagEnd(html, at);
    else {
      at = html.indexOf('<', at + 1);
      continue;
    }
    // An opening tag keeps the text it shows (`inlineHtmlMarkup`); the rest is markup whole.
    if (!element && /^<[A-Za-z]/u.test(html.slice(at, at + 2))) for (const offset of inlineHtmlMarkup(html.slice(at, end), start + at)) out.push(offset);
    else out.push(start + at, start + end);
    tags.push(start + at, start + end);
    at = html.indexOf('<', end);
  }
  return { markup: out, tags };
}

/** HTML's void elements: an opening tag that is never closed. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * Whether an HTML block (`html`, its `tags` as `htmlMarkup` gives them, offsets from `start`)
 * is a rendered widget: all its text sits inside a component nested in another component
 * (`<DiscordMessages><DiscordMessage>Pong!`, a mock Discord chat; `<VPTeamPage><VPTeamPageTitle>`).
 * What such a widget shows is a mock-up, not the page's prose: documentation search crawls
 * a page's paragraphs and lists, never its widgets, and quoted, it is mostly tags. A
 * component is a tag whose name HTML does not have (`DiscordMessage`, `team-card`); text a
 * component wraps directly (`<Callout>Use Node 20.</Callout>`) is prose.
 */
export function isWidget(html: string, tags: readonly number[], start: number): boolean {
  const open: string[] = []; // the open elements' names, outermost first
  const openByName = new Map<string, number>(); // how many of each are open: a stray closing tag costs no search
  let components = 0;
  let text = false;
  let at = 0;
  for (let i = 0; i <= tags.length; i += 2) {
    const tagStart = i < tags.length ? tags[i]! - start : html.length;
    if (/[\p{L}\p{N}]/u.test(html.slice(at, tagStart))) {
      if (components < 2) return false;
      text = true;
    }
    if (i === tags.length) break;
    at = tags[i + 1]! - start;
    const tag = html.slice(tagStart, at);
    const name = /^<(\/?)([A-Za-z][\w.:-]*)/u.exec(tag);
    if (!name || tag.endsWith('/>')) continue;
    if (!name[1]) {
      if (VOID_ELEMENTS.has(name[2]!.toLowerCase())) continue;
      open.push(name[2]!);
      openByName.set(name[2]!, (openByName.get(name[2]!) ?? 0) + 1);
      if (isComponent(name[2]!)) components++;
    } else if (openByName.get(name[2]!)) {
      // A closing tag closes its element and any left open inside it (each element is closed
      // once, so this is linear); a stray one, nothing.
      for (let closed = open.pop(); closed !== undefined; closed = open.pop()) {
        openByName.set(closed, openByName.get(closed)! - 1);
        if (isComponent(closed)) components--;
        if (closed === name[2]) break;
      }
    }
  }
  return text;
}

/** A tag name HTML does not have: a framework's component (`DiscordMessage`, `team-card`, `Tabs.Item`). */
function isComponent(name: string): boolean {
  return /[A-Z.:-]/u.test(name);
}

/** The offset just past `close` searched from `from`, or the end. */
function closeAfter(html: string, close: string, from: number): number {
  const found = html.indexOf(close, from);
  return found < 0 ? html.length : found + close.length;
}

/** The offset just past the `>` closing the tag at `at` (a `>` inside quotes does not close it), or the end. */
function tagEnd(html: string, at: number): number {
  let quote = '';
  for (let i = at + 1; i < html.length; i++) {
    const c = html[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return html.length;
}

/** The first and last offsets in `[start, end)` outside `markup` that hold a letter or digit, if any. */
export function visibleRange(text: string, start: number, end: number, markup: readonly number[]): [number, number] | undefined {
  let first = -1;
  let last = -1;
  let m = 0;
  for (let at = start; at < end; at++) {
    while (m < markup.length && markup[m + 1]! <= at) m += 2;
    if (m < markup.length && markup[m]! <= at) {
      at = markup[m + 1]! - 1;
      continue;
    }
    if (/[\p{L}\p{N}]/u.test(text[at]!)) {
      if (first < 0) first = at;
      last = at;
    }
  }
  return first < 0 ? undefined : [first, last + 1];
}

/** An attribute: its name, then `="…"`, `='…'` or an unquoted value (not kept). */
const ATTRIBUTE = /([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|[^\s"'=<>`]+))?/gu;

/** HTML's attributes whose value is shown or read out to the reader (and the usual component prop for a label). */
const TEXT_ATTRIBUTES = new Set(['alt', 'title', 'label', 'aria-label', 'placeholder', 'summary', 'caption']);


/** Images, links that hold only images (badges), HTML and whitespace: nothing to read. */
export function onlyDecoration(children: PhrasingContent[]): boolean {
  return children.every((child) => {
    if (child.type === 'image' || child.type === 'imageReference' || child.type === 'html' || child.type === 'break' || child.type === 'mdxTextExpression') return true;
    if (child.type === 'mdxJsxTextElement') return onlyDecoration(child.children);
    if (child.type === 'text') return !child.value.trim() || /^[\s:]*$/u.test(child.value);
    if (child.type === 'link' || child.type === 'linkReference') return child.children.length > 0 && onlyDecoration(child.children);
    return false;
  });
}

/**
 * A list whose items are only links to `#anchors` or to other pages of the docs (`install.md`,
 * `../guide/setup.md#npm`), and such lists nested: a table of contents, or a book's
 * `SUMMARY.md` (GitBook, mdBook). Navigation, not an answer.
 */
export function isTableOfContents(list: Extract<Nodes, { type: 'list' }>): boolean {
  return list.children.length > 0 && list.children.every((item) =>
    item.children.every((child) => {
      if (child.type === 'list') return isTableOfContents(child);
      if (child.type !== 'paragraph') return false;
      const content = child.children.filter((c) => !(c.type === 'text' && !c.value.trim()));
      return content.length === 1 && content[0]!.type === 'link' && (content[0]!.url.startsWith('#') || LOCAL_PAGE.test(content[0]!.url));
    }),
  );
}

/** A paragraph's range without `:::` container marker lines at its start and end. */
export function withoutContainerMarkers(text: string, [start, end]: [number, number]): [number, number] | undefined {
  let from = start;
  let to = end;
  let underDirective = false;
  while (from < to) {
    const newline = text.indexOf('\n', from);
    const lineEnd = newline === -1 || newline >= to ? to : newline;
    const line = text.slice(from, lineEnd);
    const option: boolean = underDirective && DIRECTIVE_OPTION.test(line);
    // A line of tags alone (an anchor, `<span id="tip"></span>`) shows nothing: the marker may follow it.
    if (!option && !isMarkerLine(line) && !(lineEnd < to && TAGS_ONLY.test(line) && isMarkerLine(lineFrom(text, lineEnd + 1)))) break;
    underDirective = option || /^[ \t]*:{3,}\{/u.test(line);
    from = lineEnd === to ? to : lineEnd + 1;
  }
  // Below a marker line left out (`> [!NOTE]`), the passage starts past its block quote's markers.
  if (from > start) from = afterQuoteMarkers(text, from, to);
  if (from >= to) return undefined;
  while (to > from) {
    const lineStart = text.lastIndexOf('\n', to - 1) + 1;
    if (lineStart < from || !isMarkerLine(text.slice(lineStart, to))) break;
    to = Math.max(from, lineStart - 1);
  }
  if (isMarkerLine(text.slice(from, to)) && !text.slice(from, to).includes('\n')) return undefined;
  return trimRange(text, from, to);
}

/**
 * A paragraph's range cut at the container marker lines inside it: a `:::` written right under
 * the text it closes, with text right under it, is one paragraph to the parser but ends a block
 * on the page. Each part starts at its marker line, for `withoutContainerMarkers` to leave out.
 */
export function cutAtContainerMarkers(text: string, [start, end]: [number, number]): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let partStart = start;
  let content = false; // a line of text since the part's start (not a marker, not only tags)
  for (let lineStart = start; lineStart < end; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 || newline >= end ? end : newline;
    const line = text.slice(lineStart, lineEnd);
    const marker = isMarkerLine(line);
    if (marker && content) {
      parts.push([partStart, lineStart - 1]);
      partStart = lineStart;
      content = false;
    } else if (!marker && !TAGS_ONLY.test(line)) content = true; // a line of tags alone shows nothing
    lineStart = lineEnd + 1;
  }
  parts.push([partStart, end]);
  return parts;
}

/** The line that starts at offset `start`. */
function lineFrom(text: string, start: number): string {
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}

/**
 * `text` with each heading's Docusaurus id (`## Install {#install}`) turned to spaces, offsets
 * unchanged: Docusaurus takes it out before MDX reads the file, to which it is a bad expression.
 */
export function withoutHeadingIds(text: string): string {
  let out = '';
  let at = 0;
  for (let lineStart = 0; lineStart < text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd).trimEnd();
    const open = line.lastIndexOf('{#');
    if (/^ {0,3}#{1,6}\s/u.test(line) && line.endsWith('}') && open > 0 && HEADING_ID.test(line.slice(open + 1, -1))) {
      out += text.slice(at, lineStart + open) + ' '.repeat(line.length - open);
      at = lineStart + line.length;
    }
    lineStart = lineEnd + 1;
  }
  return at === 0 ? text : out + text.slice(at);
}

/** Whether a file uses Python-Markdown's indented blocks (its admonitions or content tabs). */
export function usesIndentedBlocks(text: string): boolean {
  return INDENTED_BLOCKS.test(text);
}

/** Whether a MyST directive fenced as code (```` ```{code-block} ````) holds code rather than Markdown. */
export function isCodeDirective(lang: string): boolean {
  return CODE_DIRECTIVES.has(lang);
}

/** The ranges of `tags` that are comments. */
export function comments(text: string, tags: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < tags.length; i += 2) if (text.startsWith('<!--', tags[i]!)) out.push([tags[i]!, tags[i + 1]!]);
  return out;
}

/** `range` trimmed, less those of `edges` (in order) that open or close it. */
function withoutEdgeRanges(text: string, range: [number, number], edges: ReadonlyArray<readonly [number, number]>): [number, number] {
  let [from, to] = trimRange(text, range[0], range[1]) ?? range;
  for (const [start, end] of edges) {
    if (start !== from) continue;
    from = trimRange(text, end, to)?.[0] ?? to;
  }
  for (let i = edges.length - 1; i >= 0; i--) {
    const [start, end] = edges[i]!;
    if (end !== to || start < from) continue;
    to = trimRange(text, from, start)?.[1] ?? from;
  }
  return [from, to];
}

/**
 * A paragraph's range without the HTML comments that open or close it (`<!-- md:flag
 * required --> This option…`): unseen on the page, they are not quoted where a cut can leave
 * them out. A comment inside the text stays in it, as markup.
 */
export function withoutEdgeComments(text: string, node: Extract<RootContent, { type: 'paragraph' }>, range: [number, number]): [number, number] | undefined {
  const edges = node.children.flatMap((child) => (child.type === 'html' && child.value.startsWith('<!--') ? [offsets(child)].filter((at) => at !== undefined) : []));
  const [from, to] = withoutEdgeRanges(text, range, edges);
  return to > from ? [from, to] : undefined;
}

/** A node's `[start, end)` file offsets, if the parser gave them and they are not empty. */
export function offsets(node: Nodes): [number, number] | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined || end <= start ? undefined : [start, end];
}
