/**
 * The parser for each kind of Markdown file, all from the unified family (micromark →
 * mdast, every node with its source offsets): CommonMark with GFM tables and YAML/TOML front
 * matter, optionally without indented code, and MDX.
 */
import { Parser, tokTypes, type Options as AcornOptions, type TokenType } from 'acorn';
import acornJsx from 'acorn-jsx';
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
  const expressions = doomedExpressionCheck();
  const extensions = [mdxjs({ acorn: expressions.acorn }), frontmatter(['yaml', 'toml']), gfmTable()];
  const mdastExtensions = [mdxFromMarkdown(), frontmatterFromMarkdown(['yaml', 'toml']), gfmTableFromMarkdown()];
  return (text) => {
    try {
      expressions.doomed = false;
      const tree = fromMarkdown(withoutHeadingIds(text), { extensions, mdastExtensions });
      if (!expressions.doomed) return tree;
    } catch {
      // Not MDX: read as Markdown below.
    }
    return fallback(text);
  };
}

/**
 * The JavaScript parser MDX uses (acorn with JSX, as `mdxjs` builds it), noting an expression
 * that can never parse. When a `{…}` fails, MDX takes its `}` as part of it and parses again at
 * every later `}` to the end of the file, where it gives up: a file of 10,000 Liquid tags
 * (`{% tab %}`) took 135 s, the square of its size. A syntax error, or a token after a whole
 * expression (`{two words}`), met before the end of what was read cannot be mended by text
 * after it, so that expression is ended there (`doomed`: the file is then read as Markdown,
 * as MDX's error would have had it) and the parse stays linear. Unterminated comments,
 * strings and templates can be closed further on and are left to MDX.
 */
function doomedExpressionCheck(): { acorn: typeof Parser; doomed: boolean } {
  const jsx = Parser.extend(acornJsx());
  const state = { acorn: jsx, doomed: false };
  // MDX wraps a spread in `({` … `})`: what lies before the last three characters was read as written.
  const settled = (at: number, input: string) => at < input.length - 3;
  const doomed = (pos: number, input: string) => {
    state.doomed = true;
    return { type: 'Identifier', name: 'doomed', start: pos, end: input.length } as unknown as ReturnType<typeof Parser.parseExpressionAt>;
  };
  state.acorn = class extends jsx {
    // acorn's own `parseExpressionAt`, with the parser kept to see what follows the expression.
    static override parseExpressionAt(input: string, pos: number, options: AcornOptions) {
      const parser = new this(options, input, pos) as unknown as ExpressionParser;
      try {
        parser.nextToken();
        const expression = parser.parseExpression();
        return parser.type !== tokTypes.eof && settled(parser.end, input) ? doomed(pos, input) : expression;
      } catch (error) {
        const raisedAt = (error as { raisedAt?: unknown }).raisedAt;
        if (error instanceof SyntaxError && typeof raisedAt === 'number' && settled(raisedAt, input) && !error.message.startsWith('Unterminated')) return doomed(pos, input);
        throw error;
      }
    }
  };
  return state;
}

/** What `parseExpressionAt` uses of an acorn parser, which acorn's types leave out. */
interface ExpressionParser {
  nextToken(): void;
  parseExpression(): ReturnType<typeof Parser.parseExpressionAt>;
  type: TokenType;
  end: number;
}

/** The parsers, their extensions built once: CommonMark with GFM tables and front matter; the same without indented code; MDX (else the second). */
export const COMMONMARK = markdownParser(false);
export const WITHOUT_INDENTED_CODE = markdownParser(true);
export const MDX = mdxParser(WITHOUT_INDENTED_CODE);
