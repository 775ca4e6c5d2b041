/**
 * What documentation tools write around Markdown, told apart from what a page says: the
 * marker lines of their blocks (VuePress/Docusaurus `:::`, MkDocs `!!!` and `===`, GitBook
 * `{% hint %}`, Hugo shortcodes, GitHub alerts), MyST directives, heading attribute lists,
 * code-fence info-string suffixes, inline HTML tags, MDX `import`/`export`, badges and tables
 * of contents. `markdown.ts` walks the parsed tree and asks these.
 */
import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { trimRange } from './chunk.ts';

/**
 * A line that opens or closes a block around Markdown, left out of the passage: VuePress and
 * Docusaurus `:::`, Python-Markdown's admonitions (`!!! note "Title"`, collapsible `???`),
 * content tabs (`=== "pip"`) and blocks (`/// tip`), GitHub's alert line (`> [!NOTE]`), a
 * line that is one Liquid/Jinja tag (GitBook's `{% hint style="info" %}`, Jekyll's
 * `{% include … %}`) or one Hugo shortcode (`{{< note >}}`), and table-of-contents markers
 * (`[[toc]]`, `[TOC]`, `{:toc}`).
 */
const CONTAINER_MARKER = /^[ \t]*(?::{3,}|(?:!!!|\?\?\?\+?) +[A-Za-z]|={3}[!+]? +"|\/{3}(?: |$)|\[![A-Za-z]+\][ \t]*$|\{%[^\n]*%\}[ \t]*$|\{\{[<%][^\n]*[>%]\}\}[ \t]*$|(?:\[\[toc\]\]|\[toc\]|\{:toc\})[ \t]*$)/iu;

/** Python-Markdown's indented blocks: admonitions and content tabs, whose body is indented 4 spaces. */
const INDENTED_BLOCKS = /^(?:(?:!!!|\?\?\?\+?) +[A-Za-z]|={3}[!+]? +")/mu;

/** MyST (Sphinx) directives fenced as code that hold code; the others (`{note}`, `{tip}`, …) hold Markdown. */
const CODE_DIRECTIVES = new Set(['{code-block}', '{code}', '{code-cell}', '{sourcecode}', '{literalinclude}', '{math}', '{mermaid}', '{eval-rst}', '{raw}', '{graphviz}']);

/** MDX: a paragraph of `import`/`export` statements is code for the site, not content. */
export function isEsmBlock(paragraph: string): boolean {
  return /^(?:import|export)\s/u.test(paragraph) && paragraph.split('\n').every((line) => /^(?:(?:import|export)\s|\s|[}\])]|$)/u.test(line));
}

/**
 * A heading without its trailing attribute list — `{ #id .class key="value" }` in Python-Markdown
 * (`attr_list`), Pandoc and MyST, `{#custom-id}` in Docusaurus — which sets the page's anchor, not
 * its words. Braces holding anything else (`Using {braces}`) stay.
 */
export function withoutAttributeList(heading: string): string {
  if (!heading.endsWith('}')) return heading;
  const open = heading.lastIndexOf('{');
  if (open < 0) return heading;
  const tokens = heading.slice(open + 1, -1).replace(/^:/u, '').trim().split(/\s+/u);
  const attribute = (token: string) => /^[#.][\w-]+$/u.test(token) || /^[\w-]+=/u.test(token) || /^data-[\w-]+$/u.test(token);
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
 * opening tag is markup but for its quoted attribute values that read as text
 * (`<DocsLink path="Client:Class"/>` keeps `Client:Class`, `<img alt="Bot settings">` keeps
 * the alt text), since that is what the page shows or names. URLs, styles, classes and ids
 * are markup.
 */
export function inlineHtmlMarkup(html: string, start: number): number[] {
  if (!/^<[A-Za-z]/u.test(html)) return [start, start + html.length];
  const out: number[] = [];
  let at = 0;
  const nameEnd = html.search(/[\s/>]/u);
  for (const match of html.slice(nameEnd < 0 ? html.length : nameEnd).matchAll(ATTRIBUTE)) {
    const value = match[2] ?? match[3];
    if (!value || MARKUP_ATTRIBUTES.has(match[1]!.toLowerCase()) || URL_LIKE.test(value)) continue;
    const valueStart = (nameEnd < 0 ? html.length : nameEnd) + match.index + match[0].length - 1 - value.length;
    if (valueStart > at) out.push(start + at, start + valueStart);
    at = valueStart + value.length;
  }
  if (at < html.length) out.push(start + at, start + html.length);
  return out;
}

/** An attribute: its name, then `="…"`, `='…'` or an unquoted value (not kept). */
const ATTRIBUTE = /([^\s"'=<>/`]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|[^\s"'=<>`]+))?/gu;

const MARKUP_ATTRIBUTES = new Set(['style', 'class', 'classname', 'id', 'href', 'src', 'srcset', 'width', 'height', 'target', 'rel']);

const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|\/|\.{1,2}\/|#|mailto:|data:)/iu;

/** Images, links that hold only images (badges), HTML and whitespace: nothing to read. */
export function onlyDecoration(children: PhrasingContent[]): boolean {
  return children.every((child) => {
    if (child.type === 'image' || child.type === 'imageReference' || child.type === 'html' || child.type === 'break') return true;
    if (child.type === 'text') return !child.value.trim() || /^[\s:]*$/u.test(child.value);
    if (child.type === 'link' || child.type === 'linkReference') return child.children.length > 0 && onlyDecoration(child.children);
    return false;
  });
}

/** A list whose items are only links to `#anchors` (and such lists nested): a table of contents. */
export function isTableOfContents(list: Extract<Nodes, { type: 'list' }>): boolean {
  return list.children.length > 0 && list.children.every((item) =>
    item.children.every((child) => {
      if (child.type === 'list') return isTableOfContents(child);
      if (child.type !== 'paragraph') return false;
      const content = child.children.filter((c) => !(c.type === 'text' && !c.value.trim()));
      return content.length === 1 && content[0]!.type === 'link' && content[0]!.url.startsWith('#');
    }),
  );
}

/** A paragraph's range without `:::` container marker lines at its start and end. */
export function withoutContainerMarkers(text: string, [start, end]: [number, number]): [number, number] | undefined {
  let from = start;
  let to = end;
  while (from < to) {
    const lineEnd = text.indexOf('\n', from);
    if (lineEnd === -1 || lineEnd >= to || !CONTAINER_MARKER.test(text.slice(from, lineEnd))) break;
    from = lineEnd + 1;
  }
  while (to > from) {
    const lineStart = text.lastIndexOf('\n', to - 1) + 1;
    if (lineStart < from || !CONTAINER_MARKER.test(text.slice(lineStart, to))) break;
    to = Math.max(from, lineStart - 1);
  }
  if (CONTAINER_MARKER.test(text.slice(from, to)) && !text.slice(from, to).includes('\n')) return undefined;
  return trimRange(text, from, to);
}

/** Whether a file uses Python-Markdown's indented blocks (its admonitions or content tabs). */
export function usesIndentedBlocks(text: string): boolean {
  return INDENTED_BLOCKS.test(text);
}

/** Whether a MyST directive fenced as code (```` ```{code-block} ````) holds code rather than Markdown. */
export function isCodeDirective(lang: string): boolean {
  return CODE_DIRECTIVES.has(lang);
}
