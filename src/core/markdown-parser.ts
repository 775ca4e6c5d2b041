/**
 * The parser for each kind of Markdown file, all from the unified family (micromark →
 * mdast, every node with its source offsets): CommonMark with GFM tables and YAML/TOML front
 * matter, optionally without indented code, and MDX.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfmTable } from 'micromark-extension-gfm-table';
import { mdxjs } from 'micromark-extension-mdxjs';
import { withoutHeadingIds } from './doc-syntax.ts';
import './linear-edit-map.ts';

export type Parse = (text: string) => ReturnType<typeof fromMarkdown>;

function markdownParser(withoutIndentedCode: boolean): Parse {
  const extensions = [frontmatter(['yaml', 'toml']), gfmTable(), ...(withoutIndentedCode ? [{ disable: { null: ['codeIndented'] } }] : [])];
  const mdastExtensions = [frontmatterFromMarkdown(['yaml', 'toml']), gfmTableFromMarkdown()];
  return (text) => fromMarkdown(text, { extensions, mdastExtensions });
}

/**
 * MDX as MDX parses it (`micromark-extension-mdxjs`): JSX elements hold Markdown — a
 * `<CodeGroup>`'s fences are code, a `<Note>`'s text prose — `import`/`export` are ESM and
 * `{…}` expressions (MDX's comments among them) are not text. A file MDX rejects (MDX 1
 * syntax, a stray `<` or `{`) is read by `fallback`.
 */
function mdxParser(fallback: Parse): Parse {
  const extensions = [mdxjs(), frontmatter(['yaml', 'toml']), gfmTable()];
  const mdastExtensions = [mdxFromMarkdown(), frontmatterFromMarkdown(['yaml', 'toml']), gfmTableFromMarkdown()];
  return (text) => {
    try {
      return fromMarkdown(withoutHeadingIds(text), { extensions, mdastExtensions });
    } catch {
      return fallback(text);
    }
  };
}

/** The parsers, their extensions built once: CommonMark with GFM tables and front matter; the same without indented code; MDX (else the second). */
export const COMMONMARK = markdownParser(false);
export const WITHOUT_INDENTED_CODE = markdownParser(true);
export const MDX = mdxParser(WITHOUT_INDENTED_CODE);
