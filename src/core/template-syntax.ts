/**
 * Site generators' template syntax in Markdown: tags inside a line, which are markup
 * (`markup-ranges.ts`), and code blocks held by tags (Hugo's `{{< highlight >}}`, Jekyll's
 * `{% highlight %}`), which are code. Lines that are one tag are markers (`doc-syntax.ts`).
 */
import type { RootContent } from 'mdast';
import { offsets } from './doc-syntax.ts';

/**
 * What site generators expand inside a line, never the words a reader sees: Liquid tags
 * (`{% post_url x %}`, `{%- include badge.html -%}`), Hugo shortcodes (`{{< new-in 0.153 >}}`),
 * Obsidian embeds (`![[diagram.png]]`) and comments (`%%note%%`), kramdown's inline attribute
 * lists (`[link](url){:target="_blank"}`, `{: .note}`), and HTML character references
 * (`&nbsp;`, `&#x20;`), whose names are not words. Liquid output (`{{ x }}`) is left: Vue's docs
 * write their own template syntax so.
 */
const TEMPLATE_SYNTAX = /\{%[^%\n]*%\}|\{\{[<%][^{}\n]*[>%]\}\}|!\[\[[^[\]\n]*\]\]|%%[^%\n]*%%|\{:[ \t]*(?:[.#][\w-]|[\w-]+=)[^{}\n]*\}|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/gu;

/** An Obsidian callout's type at the start of its text (`[!tip] Title`, `[!faq]-` folded). */
const CALLOUT_TYPE = /^\[![\w-]+\][+-]?/u;

/** Markup ranges (`[start, end, …]`, file offsets) of `TEMPLATE_SYNTAX` and a callout's type in `text` between `from` and `to`. */
export function templateMarkup(text: string, from: number, to: number): number[] {
  const slice = text.slice(from, to);
  const out: number[] = [];
  const callout = CALLOUT_TYPE.exec(slice);
  if (callout) out.push(from, from + callout[0].length);
  for (const match of slice.matchAll(TEMPLATE_SYNTAX)) out.push(from + match.index, from + match.index + match[0].length);
  return out;
}

/** A heading's text without `TEMPLATE_SYNTAX` (`## Custom Sorting {%- include docs_version_badge.html -%}`). */
export function withoutTemplateSyntax(heading: string): string {
  return heading.replace(TEMPLATE_SYNTAX, ' ').replace(/\s+/gu, ' ').trim();
}

/** Code that a site generator's template tags hold: Hugo's `{{< highlight go >}}`, `{{< code-toggle >}}`, Jekyll's `{% highlight ruby %}`. */
export interface TemplateCode {
  /** The tag lines' first and last offsets: the block as a whole. */
  openStart: number;
  closeEnd: number;
  /** The lines between the tags. */
  from: number;
  to: number;
  lang: string;
}

const TEMPLATE_CODE_OPEN = /^[ \t]*(?:\{\{<[ \t]*(highlight|code-toggle|code)\b([^{}\n]*)>\}\}|\{%-?[ \t]*highlight[ \t]+([\w+#.-]+)(?:[ \t][^%\n]*)?-?%\})[ \t]*$/u;
const TEMPLATE_CODE_CLOSE = /^[ \t]*(?:\{\{<[ \t]*\/[ \t]*(highlight|code-toggle|code)[ \t]*>\}\}|\{%-?[ \t]*endhighlight[ \t]*-?%\})[ \t]*$/u;

/** The template-tag code blocks of a file, in order (one pass over its lines). */
export function templateCodeBlocks(text: string): TemplateCode[] {
  const out: TemplateCode[] = [];
  let open: { openStart: number; from: number; lang: string; hugo: string | undefined } | undefined;
  for (let lineStart = 0; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    if (!open) {
      const opening = line.includes('{') ? TEMPLATE_CODE_OPEN.exec(line) : null;
      // A self-closing shortcode (`{{< code-toggle config=x />}}`) holds nothing.
      if (opening && !opening[2]?.trimEnd().endsWith('/')) open = { openStart: lineStart, from: lineEnd + 1, lang: opening[3] ?? hugoLanguage(opening[1]!, opening[2]!), hugo: opening[1] };
    } else {
      const closing = line.includes('{') ? TEMPLATE_CODE_CLOSE.exec(line) : null;
      if (closing && closing[1] === open.hugo) {
        if (lineStart - 1 > open.from) out.push({ openStart: open.openStart, closeEnd: lineEnd, from: open.from, to: lineStart - 1, lang: open.lang });
        open = undefined;
      }
    }
    lineStart = lineEnd + 1;
  }
  return out;
}

/** A Hugo code shortcode's language: `highlight`'s first argument, else `lang=`, else `file=`'s extension. */
function hugoLanguage(name: string, args: string): string {
  const words = args.trim().split(/\s+/u);
  if (name === 'highlight' && words[0] && !words[0].includes('=')) return /^[\w+#.-]*/u.exec(words[0].replace(/"/gu, ''))![0];
  const attribute = (key: string) => words.find((word) => word.startsWith(`${key}=`))?.slice(key.length + 1).replace(/"/gu, '');
  const lang = attribute('lang') ?? attribute('file')?.split('.').pop();
  return lang && /^[\w+#.-]+$/u.test(lang) && lang !== 'hugo' ? lang : '';
}

/**
 * The template code blocks of `text` that the parsed `nodes` (the tree's top level) fit: each
 * node lies wholly inside or outside a block, so the block can stand for the nodes inside it.
 */
export function templateCodeBlocksOver(text: string, nodes: readonly RootContent[]): TemplateCode[] {
  const blocks = templateCodeBlocks(text);
  const crossed = new Set<TemplateCode>();
  // Both in file order: one sweep, each node against the blocks it reaches into.
  let first = 0;
  for (const node of nodes) {
    const range = offsets(node);
    if (!range) continue;
    while (first < blocks.length && blocks[first]!.closeEnd <= range[0]) first++;
    for (let i = first; i < blocks.length && blocks[i]!.openStart < range[1]; i++) {
      if (range[0] < blocks[i]!.openStart || range[1] > blocks[i]!.closeEnd) crossed.add(blocks[i]!);
    }
  }
  return blocks.filter((block) => !crossed.has(block));
}
