/**
 * Markdown passages over the discord.js guide (65 real files): exact slices at their lines,
 * code blocks never cut by prose rules, nothing from front matter, HTML comments, link
 * definitions or container markers, and sections from the heading path.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EditMap } from 'micromark-util-edit-map';
import { chunkFile, markdownIsTractable } from '../../src/library/documents.ts';
import { chunkMarkdown } from '../../src/core/markdown.ts';
import { analyzedText } from '../../src/core/passage.ts';
import { pickQuote } from '../../src/core/quote.ts';
import { Analyzer } from '../../src/core/analyzer.ts';
import { markdownFiles } from '../helpers.ts';

const GUIDE = path.resolve(import.meta.dirname, '../../../shared/corpora/discordjs-guide');

/** 1-based line ranges of fenced code blocks, fences included (a line scan, enough for these files). */
function fences(lines: string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let open: { line: number; marker: string } | undefined;
  lines.forEach((line, i) => {
    const fence = /^\s*(`{3,}|~{3,})/u.exec(line);
    if (!fence) return;
    if (!open) open = { line: i + 1, marker: fence[1]! };
    else if (fence[1]!.startsWith(open.marker[0]!) && fence[1]!.length >= open.marker.length && line.trim() === fence[1]) {
      out.push([open.line, i + 1]);
      open = undefined;
    }
  });
  return out;
}

describe('Markdown passages (discord.js guide)', () => {
  const files = markdownFiles(GUIDE);

  it('finds the corpus', () => {
    expect(files.length).toBe(65);
  });

  it('every passage is the exact text at its lines; code stays inside one fence; no markup that is not content', () => {
    let passages = 0;
    let code = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      const blocks = fences(lines);
      for (const chunk of chunkMarkdown(text, path.relative(GUIDE, file), 700).chunks) {
        passages++;
        const at = lines.slice(chunk.lines[0] - 1, chunk.lines[1]).join('\n');
        expect(at.includes(chunk.text), `${file} L${chunk.lines.join('–')}`).toBe(true);
        // It starts on its first line and ends on its last.
        expect(lines[chunk.lines[0] - 1]!.includes(chunk.text.split('\n')[0]!)).toBe(true);
        expect(lines[chunk.lines[1] - 1]!.includes(chunk.text.split('\n').pop()!)).toBe(true);
        const fence = blocks.find(([a, b]) => chunk.lines[0] <= b && chunk.lines[1] >= a);
        if (chunk.code) {
          code++;
          // Inside one fence, fence lines left out.
          if (fence) expect(chunk.lines[0] > fence[0] && chunk.lines[1] < fence[1]).toBe(true);
        } else {
          expect(fence, `${file} L${chunk.lines.join('–')} is prose across a fence`).toBeUndefined();
        }
        expect(chunk.text).not.toMatch(/^---\s*$|<!--|^\[[^\]]+\]:\s|^ {0,3}:{3,}/mu);
      }
    }
    expect(passages).toBeGreaterThan(1500);
    expect(code).toBeGreaterThan(400);
  });

  it('titles come from front matter or the first heading; sections are the heading path below it', () => {
    const text = readFileSync(path.join(GUIDE, 'slash-commands/response-methods.md'), 'utf8');
    const { title, chunks } = chunkMarkdown(text, 'slash-commands/response-methods.md', 700);
    expect(title).toBe('Command response methods');
    const deferred = chunks.find((chunk) => chunk.text.includes('deferReply()') && !chunk.code)!;
    expect(deferred.section).toBe('Deferred responses');
    expect(chunks.some((chunk) => chunk.code?.lang === 'js')).toBe(true);

    const synthetic = chunkMarkdown(
      [
        '---',
        'title: From front matter',
        '---',
        '<!-- a comment about <script defer> -->',
        '[![badge](https://img.shields.io/x.svg)](https://example.com)',
        '',
        '# Heading title',
        '',
        '- [Install](#install)',
        '- [Use](#use)',
        '',
        '## Install',
        '',
        '::: tip',
        'Run the installer first.',
        ':::',
        '',
        '[ref]: https://example.com',
        '',
        '| a | b |',
        '|---|---|',
        '| 1 | 2 |',
      ].join('\n'),
      'docs/x.md',
      700,
    );
    expect(synthetic.title).toBe('From front matter');
    expect(synthetic.chunks.map((chunk) => [chunk.text, chunk.section ?? ''])).toEqual([
      // The document's own (first) heading is not part of the section path.
      ['Run the installer first.', 'Install'],
      ['| a | b |\n|---|---|\n| 1 | 2 |', 'Install'],
    ]);
    // Front matter whose keys repeat still gives its title (keys are not checked against each
    // other: for 20,000 keys that took 3.4 s); the last of a repeated key counts, as YAML loaders do.
    const keys = Array.from({ length: 2000 }, (_, i) => `key${i % 1000}: value`).join('\n');
    expect(chunkMarkdown(`---\ntitle: Draft\n${keys}\ntitle: Final title\n---\n\nBody.\n`, 'docs/keys.md', 700).title).toBe('Final title');

    // The heading that names a document: beside a front-matter title only an `# h1` (Hugo's
    // pages start at `## Example`, a section); without one, the first `# h1`, or a first heading
    // with no text before it — an Obsidian page's `## Settings` after its intro is a section.
    const sectionsOf = (doc: string, name = 'docs/page.md') => {
      const { title, chunks } = chunkMarkdown(doc, name, 700);
      return [title, ...chunks.map((chunk) => chunk.section ?? '')];
    };
    expect(sectionsOf('---\ntitle: Configure menus\n---\n\nIntro.\n\n## Example\n\nTo define.\n\n### Nested\n\nNested text.\n')).toEqual(['Configure menus', '', 'Example', 'Example › Nested']);
    expect(sectionsOf('Callouts highlight content.\n\n## Settings\n\nSetting text.\n', 'en/Callouts.md')).toEqual(['Callouts', '', 'Settings']);
    expect(sectionsOf('<p align="center">A fast thing.</p>\n\n# Thing\n\n## Use\n\nRun it.\n')).toEqual(['Thing', '', 'Use']);
    expect(sectionsOf('## Overview\n\nWhat it is.\n\n### Parts\n\nThree.\n')).toEqual(['Overview', '', 'Parts']);
  });

  it("a titled block's title is a level of the section path of the passages inside it", () => {
    const sections = (doc: string) => chunkMarkdown(doc, 'docs/page.md', 700).chunks.map((chunk) => [chunk.text.split('\n')[0], chunk.section ?? '']);
    // VuePress `::: details Title`; an untitled `::: tip` adds nothing; code-group tabs nest.
    expect(sections('# P\n\n## Hosting\n\n::: details Online editors (Glitch, Replit)\nUse a paid plan.\n:::\n\n::: tip\nA tip.\n:::\n\n:::: code-group\n::: code-group-item npm\n```sh\nnpm install discord.js\n```\n:::\n::::\n\nAfter.\n')).toEqual([
      ['Use a paid plan.', 'Hosting › Online editors (Glitch, Replit)'],
      ['A tip.', 'Hosting'],
      ['npm install discord.js', 'Hosting › npm'],
      ['After.', 'Hosting'],
    ]);
    // Docusaurus `:::tip[Title]`; MyST's `:::{admonition} Title` and ```` ```{admonition} Title ````, not `{figure}`'s path.
    expect(sections(':::tip[Did you know?]\nAstro is fast.\n:::\n\n:::{admonition} Aligning cells\nUse colons.\n:::\n\n```{admonition} Fenced title\nInside.\n```\n\n:::{figure} img/a.png\nA caption.\n:::\n')).toEqual([
      ['Astro is fast.', 'Did you know?'],
      ['Use colons.', 'Aligning cells'],
      ['Inside.', 'Fenced title'],
      ['A caption.', ''],
    ]);
    // Python-Markdown: the indented body, icons and code spans out of the title; GitBook's tabs.
    expect(sections('!!! note ":octicons-file-code-16: `mkdocs.yml`"\n\n    Add the plugin.\n\nOutside.\n\n=== "pip"\n\n    Run pip.\n\n{% tab title="Yarn" %}\nRun yarn.\n{% endtab %}\n\nLast.\n')).toEqual([
      ['Add the plugin.', 'mkdocs.yml'],
      ['Outside.', ''],
      ['Run pip.', 'pip'],
      ['Run yarn.', 'Yarn'],
      ['Last.', ''],
    ]);
    // Unclosed openers nest, but only four titled levels count, and a GitBook tab ends the one before.
    const unclosed = Array.from({ length: 500 }, (_, i) => `::: details T${i}\nText ${i}.\n\n{% tab title="Tab ${i}" %}\nTabbed ${i}.\n`).join('\n');
    const paths = chunkMarkdown(unclosed, 'docs/page.md', 700).chunks.map((chunk) => chunk.section ?? '');
    expect(Math.max(...paths.map((p) => p.split(' › ').length))).toBeLessThanOrEqual(5);
    expect(paths.at(-1)).toBe('T0 › T1 › T2 › T3 › Tab 499');
    // A page that shows the syntax in code does not open a block with it.
    expect(sections('```md\n:::tip[Shown]\nText.\n:::\n```\n\nAfter it.\n')).toEqual([
      [':::tip[Shown]', ''],
      ['After it.', ''],
    ]);
  });

  it('a long code block with no blank line is cut between lines, every piece code and within the size', () => {
    const body = Array.from({ length: 300 }, (_, i) => `  const value${i} = compute(${i});`);
    const text = ['# Big', '', '```ts', ...body, '```', ''].join('\n');
    const { chunks } = chunkMarkdown(text, 'big.md', 700);
    expect(chunks.length).toBeGreaterThan(5);
    const lines = text.split('\n');
    let next = 4;
    for (const chunk of chunks) {
      expect(chunk.code).toEqual({ lang: 'ts' });
      expect(chunk.text.length).toBeLessThanOrEqual(700);
      expect(chunk.lines[0]).toBe(next); // consecutive, nothing lost
      expect(chunk.text).toBe(lines.slice(chunk.lines[0] - 1, chunk.lines[1]).join('\n'));
      next = chunk.lines[1] + 1;
    }
    expect(next).toBe(304);
  });

  it('Markdown the parser cannot take in linear time is cut by paragraphs, passages still exact', () => {
    for (const text of ['>'.repeat(5000) + ' deep', '*a'.repeat(5000), Array.from({ length: 200 }, (_, i) => `${' '.repeat(2 * i)}- item ${i}`).join('\n')]) {
      expect(markdownIsTractable(text)).toBe(false);
      const { chunks } = chunkFile('hostile.md', text);
      expect(chunks.length).toBeGreaterThan(0);
      for (const chunk of chunks) expect(text.split('\n').slice(chunk.lines[0] - 1, chunk.lines[1]).join('\n')).toContain(chunk.text);
    }
    expect(markdownIsTractable(readFileSync(path.join(GUIDE, 'popular-topics/embeds.md'), 'utf8'))).toBe(true);
    // A reference page's long tight list of props (react.dev has one of 1,043 marks) is parsed as Markdown.
    const props = ['# Props', '', ...Array.from({ length: 300 }, (_, i) => `* [\`prop${i}\`](https://developer.mozilla.org/p${i}): A string. See [more](#more).`)].join('\n');
    expect(markdownIsTractable(props)).toBe(true);
    expect(chunkFile('props.md', props).chunks[0]!.text.startsWith('[`prop0`]')).toBe(true);
    // So is a page with a long table of links and code (Hugo's emoji reference).
    const emoji = ['---', 'title: Emojis', '---', '', '| Top | Code |', '|---|---|', ...Array.from({ length: 300 }, (_, i) => `| [top](#x) | \`:smile_${i}:\` |`)].join('\n');
    expect(markdownIsTractable(emoji)).toBe(true);
    expect(chunkFile('emojis.md', emoji).title).toBe('Emojis');
    // Setext headings and nested items are parsed with micromark's edits applied in place
    // (`linear-edit-map.ts`, installed by the parser module): 1,000 of them are Markdown.
    expect(EditMap.prototype.consume.name).toBe('linearConsume');
    const setext = ['Notes', '=====', '', ...Array.from({ length: 1000 }, (_, i) => `Part ${i}\n-------\n\nText ${i}.\n`)].join('\n');
    expect(markdownIsTractable(setext)).toBe(true);
    expect(chunkFile('setext.md', setext).chunks.map((chunk) => chunk.section)).toEqual(Array.from({ length: 1000 }, (_, i) => `Part ${i}`));
  });

  it('inline HTML in prose is markup: analyzed as spaces, but for the text a reader is shown (alt, title)', () => {
    let tagged = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const chunk of chunkMarkdown(text, path.relative(GUIDE, file), 700).chunks) {
        const analyzed = analyzedText(chunk.text, chunk.markup);
        expect(analyzed.length).toBe(chunk.text.length);
        if (chunk.code) expect(chunk.markup).toBeUndefined();
        if (!chunk.markup) continue;
        tagged++;
        // No tag is left to analyze, outside inline code (`<DocsLink>` written as code stays).
        expect(analyzed.replace(/`[^`]*`/gu, ''), `${file} L${chunk.lines[0]}`).not.toMatch(/<\/?[A-Za-z]/u);
      }
    }
    expect(tagged).toBeGreaterThan(100);
    const doc = '# Keys\n\nPress <kbd>Ctrl</kbd> and call <DocsLink path="Client:Class#login" type="method"/> <img src="a.png" alt="Login screen">, or see <a href="https://x.dev/zebra">the docs</a>; `<Suspense>` is code.\n\n```jsx\n<Button onClick={go}>Go</Button>\n```\n';
    const [prose, code] = chunkMarkdown(doc, 'keys.md', 700).chunks;
    expect(analyzedText(prose!.text, prose!.markup).replace(/ +/gu, ' ')).toBe('Press Ctrl and call Login screen , or see the docs ; `<Suspense>` is code.');
    expect(code!.markup).toBeUndefined();
    // A quote shows the tags (it is the file's text) and highlights only what was matched.
    const analyzer = new Analyzer();
    const quote = pickQuote(prose!.text, 3, new Map([[analyzer.term('screen'), 1], [analyzer.term('href'), 1], [analyzer.term('docslink'), 1], [analyzer.term('client'), 1]]), analyzer, { markup: prose!.markup });
    expect(quote.quote).toBe(prose!.text);
    expect(quote.highlights.map(([a, b]) => quote.quote.slice(a, b))).toEqual(['screen']);
  });

  it('other documentation conventions: Python-Markdown admonitions and tabs, MyST directives, GitHub alerts, fences in lists and quotes', () => {
    const doc = [
      '# Setup {#setup}', '', '!!! warning "Heads up"', '    Never commit the token.', '', '    Rotate it when it leaks.', '',
      '## Using {braces} { #tabs data-toc-label="Tabs here" }', '', '=== "pip"', '', '    Install with pip.', '', '    ```bash', '    pip install thing', '    ```', '',
      '!!! example "Nested"', '    === "npm"', '', '        Use npm.', '',
      '```{note}', ':class: tip', 'The cache lives in the home folder.', '```', '',
      '```{code-block} python', 'print("hello")', '```', '',
      '> [!NOTE]', '> Alerts hold prose.', '',
      '1. Step one:', '', '    ```js{1}', '    run();', '    ```', '',
      '[[toc]]', '', '{% hint style="info" %}', 'GitBook hints hold prose.', '{% endhint %}', '',
      '{{< note >}}', 'Hugo shortcodes too.', '{{< /note >}}', '',
    ].join('\n');
    const { title, chunks } = chunkMarkdown(doc, 'setup.md', 700);
    // Attribute lists set anchors, not words.
    expect(title).toBe('Setup');
    // An id with dots or dashes of other kinds (Vue's docs, built by VitePress).
    expect(chunkMarkdown('# Vue.js Privacy Policy {#vue.js-privacy-policy}\n\n## Accessible Rich Internet Applications (WAI-ARIA) {#web-–-aria}\n\nText.\n', 'privacy.md', 700))
      .toMatchObject({ title: 'Vue.js Privacy Policy', chunks: [{ text: 'Text.', section: 'Accessible Rich Internet Applications (WAI-ARIA)' }] });
    expect(chunks.find((chunk) => chunk.text === 'Install with pip.')?.section).toBe('Using {braces} › pip');
    expect(chunks.find((chunk) => chunk.text === 'Never commit the token.\n\n    Rotate it when it leaks.')?.section).toBe('Heads up');
    expect(chunks.find((chunk) => chunk.text === 'Use npm.')?.section).toBe('Using {braces} › Nested › npm');
    const lines = doc.split('\n');
    for (const chunk of chunks) expect(lines.slice(chunk.lines[0] - 1, chunk.lines[1]).join('\n')).toContain(chunk.text);
    expect(chunks.map((chunk) => [chunk.text.trim(), chunk.code?.lang ?? 'prose'])).toEqual([
      // An admonition's paragraphs are one run, as a section's are.
      ['Never commit the token.\n\n    Rotate it when it leaks.', 'prose'],
      ['Install with pip.', 'prose'],
      ['pip install thing', 'bash'],
      ['Use npm.', 'prose'],
      ['The cache lives in the home folder.', 'prose'],
      ['print("hello")', 'python'],
      // Below the alert's marker line, the passage starts past its block quote marker.
      ['Alerts hold prose.', 'prose'],
      ['Step one:', 'prose'],
      ['run();', 'js'],
      ['GitBook hints hold prose.', 'prose'],
      ['Hugo shortcodes too.', 'prose'],
    ]);
    // A long quoted paragraph cut into windows: each starts past the markers of its first line.
    const quoted = Array.from({ length: 12 }, (_, i) => `> Sentence ${i} of a long quoted note says something about the heap and the stack.`).join('\n');
    const windows = chunkMarkdown(`# Note\n\n${quoted}\n`, 'note.md', 200).chunks;
    expect(windows.length).toBeGreaterThan(2);
    for (const chunk of windows) expect(chunk.text).toMatch(/^Sentence \d+ /u);
    // mdBook pulls code from other files: a block of only `{{#include …}}` lines is not a
    // passage, nor is such a line in prose; a block with code besides keeps its directive.
    const book = chunkMarkdown(['# Book', '', '```rust', '{{#rustdoc_include ../listings/ch02/src/main.rs:print}}', '```', '', '{{#include ../shared/note.md}}', '', 'Text.', '', '```rust', '{{#include a.rs}}', 'fn main() {}', '```'].join('\n'), 'book.md', 700);
    expect(book.chunks.map((chunk) => [chunk.text, chunk.code?.lang ?? 'prose'])).toEqual([['Text.', 'prose'], ['{{#include a.rs}}\nfn main() {}', 'rust']]);
    // So do MkDocs sites: PyMdown's snippets (`--8<-- "file"`, in a fence or not), markdown-include's
    // `{! file !}`, FastAPI's `{* file *}`; `;--8<--` is the escaped, shown form. Nested PyMdown
    // blocks open with more slashes (`//// tab | pip`).
    const mkdocs = chunkMarkdown(['# Guide', '', 'Create the app with:', '', '{* ../../docs_src/app_py310.py hl[3] *}', '', '```python', '--8<-- "docs/example.py"', '```', '', '--8<-- \'docs/note.md\'', '', '{!> ../../docs_src/types.py !}', '', '//// tab | pip', '', 'Install it with pip.', '', '////', '', ';--8<-- "shown.md"'].join('\n'), 'guide.md', 700);
    expect(mkdocs.chunks.map((chunk) => [chunk.text, ...chunk.lines])).toEqual([['Create the app with:', 3, 3], ['Install it with pip.', 17, 17], [';--8<-- "shown.md"', 21, 21]]);
    // An HTML block runs to the next blank line: container markers under an anchor are still markers.
    // An HTML block runs to the next blank line, and a line of inline tags opens a paragraph: a
    // container right under an anchor is still a container.
    for (const anchor of ['<div id="ime-tip"></div>', '<span id="ime-tip"></span>']) {
      const anchored = chunkMarkdown(`# Forms\n\n${anchor}\n::: tip Note\nIME composition does not update \`v-model\`.\n:::\n`, 'forms.md', 700);
      expect(anchored.chunks.map((chunk) => [chunk.text, ...chunk.lines])).toEqual([['IME composition does not update `v-model`.', 5, 5]]);
    }
    // A container written with no blank line around it is one paragraph to the parser (Starlight's
    // `:::note` under a heading, VitePress's `:::` with text right under it): its marker lines are
    // still not text, and the text on either side of one is a passage of its own.
    const tight = chunkMarkdown('# Butter\n\n## Integrating\n:::note\nSee the starter project.\n:::\nIn this section we use the SDK.\nTo get started:\n\n::: warning Deprecated\nUse toExtend.\n:::\nChecks a type.\n\n:::img-container\n<img alt="graph" src="g.svg">\n:::\n', 'butter.mdx', 700);
    expect(tight.chunks.map((chunk) => [chunk.text, chunk.section ?? '', ...chunk.lines])).toEqual([
      ['See the starter project.', 'Integrating', 5, 5],
      ['In this section we use the SDK.\nTo get started:', 'Integrating', 7, 8],
      ['Use toExtend.', 'Integrating › Deprecated', 11, 11],
      ['Checks a type.', 'Integrating', 13, 13],
    ]);
    // A list item that ends in a colon introduces the paragraph under it: a tldr page's
    // description and its command are one passage; a list that does not stays apart.
    const tldr = chunkMarkdown('# tar\n\n> Archiving utility.\n\n- E[x]tract an archive [f]ile:\n\n`tar xf {{path/to/source.tar}}`\n\n- Lis[t] the contents:\n\n`tar tf {{path/to/source.tar}}`\n\n## Notes\n\n- One item.\n- Two items.\n\nA paragraph after them.\n', 'tar.md', 700);
    expect(tldr.chunks.map((chunk) => [chunk.text, ...chunk.lines])).toEqual([
      ['Archiving utility.', 3, 3],
      ['E[x]tract an archive [f]ile:\n\n`tar xf {{path/to/source.tar}}`', 5, 7],
      ['Lis[t] the contents:\n\n`tar tf {{path/to/source.tar}}`', 9, 11],
      ['One item.\n- Two items.', 15, 16],
      ['A paragraph after them.', 18, 18],
    ]);
    // Attribute lists alone on a line (kramdown, Python-Markdown) and MyST directives' options are not text.
    const jekyll = chunkMarkdown('# J\n\n## v4.4.1\n{: #v4-4-1}\n\n{: .note .info}\nA note.\n\n{#id .wide}\n\n:::{admonition} Aligning cells\n:class: tip dropdown\n\nText.\n:::\n\n:::{note}\n:class: x\nInline body.\n:::\n', 'history.md', 700);
    expect(jekyll.chunks.map((chunk) => chunk.text)).toEqual(['A note.', 'Text.', 'Inline body.']);
    // Site generators' syntax inside a line is markup, not words; in a code span it is content.
    const liquid = chunkMarkdown('# J\n\n## Sorting {%- include badge.html version="4.0" -%}\n\nUse {% raw %}`{{ x }}`{% endraw %} now: {{< new-in 0.153.0 />}} a&nbsp;b &mdash; [x](y){:target="_blank"} `{:?}` `&s2;`\n\n> [!tip] Pick one\n> Choose. ![[diagram.png]] %%hidden%%\n', 'j.md', 700);
    expect(liquid.chunks.map((chunk) => [chunk.section, analyzedText(chunk.text, chunk.markup).replace(/\s+/gu, ' ').trim()])).toEqual([
      ['Sorting', 'Use `{{ x }}` now: a b [x](y) `{:?}` `&s2;`'],
      ['Sorting', 'Pick one > Choose.'],
    ]);
    // MyST: a target line is not text, a code directive's options are not code, a toctree or an include has no text.
    const myst = chunkMarkdown('# M\n\n(install)=\n## Install\n\n```{code-block} python\n:linenos:\n:caption: Example\n\nprint("hi")\n```\n\n```{toctree}\npage1\n```\n\n```{literalinclude} ../example.py\n:language: python\n```\n\n```{math}\n:label: euler\ne^{i\\pi} + 1 = 0\n```\n', 'm.md', 700);
    expect(myst.chunks.map((chunk) => [chunk.text, chunk.code?.lang, chunk.section, ...chunk.lines])).toEqual([
      ['print("hi")', 'python', 'Install', 10, 10],
      ['e^{i\\pi} + 1 = 0', 'math', 'Install', 23, 23],
    ]);
    // A container's closing `:::` under a table is not one more row; Liquid in an HTML block is markup.
    const inBlocks = chunkMarkdown('# T\n\n:::{note}\n| foo | bar |\n| --- | --- |\n| baz | bim |\n:::\n\n<table>\n  <tbody>\n    {% for s in site.data.opts %}\n    <tr><td>Sets the {% if s.flag %}flag{% endif %}.</td></tr>\n    {% endfor %}\n  </tbody>\n</table>\n', 't.md', 700);
    expect(inBlocks.chunks.map((chunk) => [analyzedText(chunk.text, chunk.markup).replace(/\s+/gu, ' ').trim(), ...chunk.lines])).toEqual([
      ['| foo | bar | | --- | --- | | baz | bim |', 4, 6],
      ['Sets the flag .', 12, 12],
    ]);
    // Code held by Hugo's and Jekyll's template tags is code, blank lines and all.
    const tags = chunkMarkdown("# H\n\n{{< code-toggle config=x />}}\n\nIntro.\n\n{{< code-toggle file=hugo >}}\n[[menus.main]]\nname = 'Home'\n\nweight = 10\n{{< /code-toggle >}}\n\n{{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< /highlight >}}\n\n{% highlight ruby %}\ndef foo\n\n  puts 1\nend\n{% endhighlight %}\n\nAfter.\n", 'menus.md', 700);
    expect(tags.chunks.map((chunk) => [chunk.text, chunk.code?.lang ?? 'prose', ...chunk.lines])).toEqual([
      ['Intro.', 'prose', 5, 5],
      ["[[menus.main]]\nname = 'Home'\n\nweight = 10", '', 8, 11],
      ['func main() {}', 'go', 15, 15],
      ['def foo\n\n  puts 1\nend', 'ruby', 19, 22],
      ['After.', 'prose', 25, 25],
    ]);
    // A list of links to other pages is navigation (a book's SUMMARY.md); a link with words beside it is not.
    const summary = chunkMarkdown('# Summary\n\n- [Getting Started](ch01-00-getting-started.md)\n  - [Installation](ch01-01-installation.md#linux)\n- [Guessing Game](./ch02-00-guessing-game-tutorial.md)\n\nSee also:\n\n- [Config](config.md): every option, with defaults.\n- [Site](https://example.com/guide.md)\n', 'SUMMARY.md', 700);
    expect(summary.chunks.map((chunk) => chunk.text)).toEqual(['See also:', '[Config](config.md): every option, with defaults.\n- [Site](https://example.com/guide.md)']);
    // Nextra writes a heading's id in brackets.
    expect(chunkMarkdown('# N\n\n## Install [#install]\n\nRun it.\n', 'n.mdx', 700).chunks[0]!.section).toBe('Install');
    // react.dev writes heading ids as MDX comments, in `.md` files too.
    const hook = chunkMarkdown('# useState\n\n## Usage {/*usage*/}\n\n### Adding state {/*adding-state*/}\n\nCall it at the top level.\n', 'useState.md', 700);
    expect(hook.chunks.map((chunk) => chunk.section)).toEqual(['Usage › Adding state']);
    // A byte order mark (an editor on Windows) moves nothing: the same passages, at the same lines.
    const plain = '---\ntitle: Plugins\n---\n\n# Plugins\n\nThis is how we install a plugin:\n\n```js\napp.use(myPlugin)\n```\n\n:::tip\nUse them scarcely.\n:::\n';
    for (const name of ['plugins.md', 'plugins.mdx']) {
      const withMark = chunkMarkdown(`\uFEFF${plain}`, name, 700);
      expect(withMark).toEqual(chunkMarkdown(plain, name, 700));
      expect(withMark.chunks.map((chunk) => chunk.text)).toEqual(['This is how we install a plugin:', 'app.use(myPlugin)', 'Use them scarcely.']);
    }
    // Docusaurus compiles `.md` as MDX: its import statements are not text; a shell line is.
    const docusaurus = chunkMarkdown("import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\nSet the token:\n\nexport TOKEN=abc\n", 'install.md', 700);
    expect(docusaurus.chunks.map((chunk) => chunk.text)).toEqual(['Set the token:\n\nexport TOKEN=abc']);
    // Hugo's TOML front matter is front matter: its title is the title, its lines are not text.
    const hugo = chunkMarkdown('+++\ntitle = "Hugo \\"Page\\""\ndraft = false\n+++\n\nBody text.\n', 'hugo.md', 700);
    expect([hugo.title, hugo.chunks.map((chunk) => chunk.text)]).toEqual(['Hugo "Page"', ['Body text.']]);
    // Past the directives a file may have parsed, bodies are still prose, cut at blank lines.
    const many = '# T\n\n' + Array.from({ length: 250 }, (_, i) => `\`\`\`{note}\n:class: x\nBody ${i}.\n\nMore ${i}.\n\`\`\`\n`).join('\n');
    const manyChunks = chunkMarkdown(many, 'many.md', 700).chunks;
    expect(manyChunks.map((chunk) => chunk.text)).toEqual(Array.from({ length: 250 }, (_, i) => `Body ${i}.\n\nMore ${i}.`));
    expect(manyChunks.every((chunk) => !chunk.code)).toBe(true);
    // Without those markers, indentation is code as CommonMark says.
    expect(chunkMarkdown('# A\n\nText.\n\n    indented();\n', 'a.md', 700).chunks.map((chunk) => chunk.code?.lang ?? 'prose')).toEqual(['prose', '']);
  });

  it('in lists too, code ends a run of prose and container markers stay out of it; a container’s paragraphs are one run', () => {
    const doc = [
      '# T', '', '- Outer item.', '  - Inner item.', '', '    ```js', '    code();', '    ```', '', '    Inner after.', '- Outer two.', '',
      '1. Choose one.', '', '   :::tip', '   Not sure? Use the map.', '   :::', '', '   After the tip.', '',
      '::: warning', 'First line.', '', 'Second line.', ':::', '',
    ].join('\n');
    const { chunks } = chunkMarkdown(doc, 'steps.md', 700);
    const lines = doc.split('\n');
    for (const chunk of chunks) expect(lines.slice(chunk.lines[0] - 1, chunk.lines[1]).join('\n')).toContain(chunk.text);
    expect(chunks.map((chunk) => [chunk.text.trim(), chunk.code?.lang ?? 'prose', ...chunk.lines])).toEqual([
      ['Outer item.\n  - Inner item.', 'prose', 3, 4],
      ['code();', 'js', 7, 7],
      ['Inner after.\n- Outer two.', 'prose', 10, 11],
      ['Choose one.', 'prose', 13, 13],
      ['Not sure? Use the map.', 'prose', 16, 16],
      ['After the tip.', 'prose', 19, 19],
      ['First line.\n\nSecond line.', 'prose', 22, 24],
    ]);
  });

  it('an HTML block’s visible text is prose, its tags markup; comments, scripts, styles and badge blocks are left out', () => {
    const doc = [
      '# Page', '',
      '<Callout type="warning">', 'Never commit your API key.', '</Callout>', '',
      '<details>', '<summary>Why not Node 16?</summary>', '', 'It reached end of life.', '', '</details>', '',
      '<!-- <script defer src="x.js"></script> a note for editors -->', '',
      '<p align="center">', '  <a href="https://ci.example"><img src="badge.svg" alt=""></a>', '</p>', '',
      '<script>', 'window.track("deferred");', '</script>', '',
      '<table><tr><td title="Owner">Owner</td><td>Team Rocket</td></tr></table>', '',
      '<!-- md:flag required --> This option enables tabs. <!-- md:default false -->', '',
      '<div>', 'Shown first. <!-- an editor note --> Shown after.', '<!-- a line of notes -->', 'Last line.', '</div>', '',
    ].join('\n');
    const { chunks } = chunkMarkdown(doc, 'page.md', 700);
    const lines = doc.split('\n');
    for (const chunk of chunks) expect(lines.slice(chunk.lines[0] - 1, chunk.lines[1]).join('\n')).toContain(chunk.text);
    const analyzed = chunks.map((chunk) => analyzedText(chunk.text, chunk.markup).replace(/\s+/gu, ' ').trim());
    expect(analyzed).toEqual(['Never commit your API key.', 'Why not Node 16?', 'It reached end of life.', 'Owner Owner Team Rocket', 'This option enables tabs.', 'Shown first.', 'Shown after.', 'Last line.']);
    expect(chunks.map((chunk) => chunk.lines)).toEqual([[4, 4], [8, 8], [10, 10], [24, 24], [26, 26], [29, 29], [29, 29], [31, 31]]);
    // No comment is quoted, inside a block as at its edges.
    for (const chunk of chunks) expect(chunk.text).not.toContain('<!--');
    // A comment that opens or closes a paragraph is not quoted.
    expect(chunks[4]!.text).toBe('This option enables tabs.');
  });


  it('an HTML block that is one heading element is a page banner: no passage, and not the title', () => {
    // Every page of Fastify's docs opens so; the banner was a one-word passage on 40 pages and
    // kept "## Getting Started" from being the title (the file name was shown instead).
    const doc = ['<h1 align="center">Fastify</h1>', '', '## Getting Started', '', 'Hello! Thank you for checking out Fastify!', '', '<h2>Sign up</h2>', '<p>Make an account first.</p>'].join('\n');
    const { chunks, title } = chunkMarkdown(doc, 'Guides/Getting-Started.md', 700);
    expect(title).toBe('Getting Started');
    expect(chunks.map((chunk) => analyzedText(chunk.text, chunk.markup).replace(/\s+/gu, ' ').trim())).toEqual([
      'Hello! Thank you for checking out Fastify!',
      'Sign up Make an account first.',
    ]);
  });
  it('an HTML block whose text all sits in nested components is a widget (a mock Discord chat): no passage; text a component wraps is prose', () => {
    // The guide's 25 mock chats were passages of tags around "ping Pong!"; one answered
    // "how do i wait for someone to click a button" with `<DiscordInteraction profile="user" …>`.
    const doc = [
      '## Disabled buttons', '',
      '<DiscordMessages>', '\t<DiscordMessage profile="bot">', '\t\t<template #interactions>',
      '\t\t\t<DiscordInteraction profile="user" :command="true">button</DiscordInteraction>', '\t\t</template>',
      '\t\tAre you even able to', '\t\t<span class="emoji-container"><img alt=":tada:" src="tada.png" /></span><br />',
      '\t\t<DiscordButtons><DiscordButton :disabled="true">Click me?</DiscordButton></DiscordButtons>',
      '\t</DiscordMessage>', '</DiscordMessages>', '',
      '<Callout type="warning">', 'Use <Badge>Node 20</Badge> or newer.', '</Callout>', '',
      '<div class="grid">', '  <Box>Test file</Box>', '  <ArrowDown />', '  <Box>Coverage report</Box>', '</div>', '',
      '<details><summary>Why?</summary>', '<p>Because <strong>it is faster</strong>.</p>', '</details>',
    ].join('\n');
    const { chunks } = chunkMarkdown(doc, 'buttons.md', 700);
    expect(chunks.map((chunk) => analyzedText(chunk.text, chunk.markup).replace(/\s+/gu, ' ').trim())).toEqual([
      'Use Node 20 or newer.',
      'Test file Coverage report',
      'Why? Because it is faster .',
    ]);
    for (const chunk of chunks) expect(chunk.text).not.toContain('Discord');
  });
  it('MDX is read as MDX: a component’s fences are code, its text prose; expressions and comments are not text; a file MDX rejects is read as Markdown', () => {
    const doc = [
      "import { Tabs } from '@theme/Tabs';", '', '# Install {#install}', '',
      '<Tabs>', '  <TabItem value="npm">', '    ```bash', '    npm install my-lib', '    ```', '  </TabItem>', '</Tabs>', '',
      '<Note>', 'Never commit your API key. {/* vale off */}', '</Note>', '',
      'The <Highlight color="red">config file</Highlight> lives in the root.', '',
    ].join('\n');
    const { title, chunks } = chunkMarkdown(doc, 'install.mdx', 700);
    expect(title).toBe('Install');
    const lines = doc.split('\n');
    for (const chunk of chunks) expect(lines.slice(chunk.lines[0] - 1, chunk.lines[1]).join('\n')).toContain(chunk.text);
    expect(chunks.map((chunk) => [analyzedText(chunk.text, chunk.markup).replace(/\s+/gu, ' ').trim(), chunk.code?.lang ?? 'prose'])).toEqual([
      ['npm install my-lib', 'bash'],
      ['Never commit your API key.', 'prose'],
      ['The config file lives in the root.', 'prose'],
    ]);
    // Not MDX (a bare `{` expression that is not JavaScript): read as Markdown, nothing lost.
    const loose = chunkMarkdown('# Old\n\nSet {the value} to 3.\n\n<Note>\nKeep it.\n</Note>\n', 'old.mdx', 700).chunks;
    expect(loose.map((chunk) => analyzedText(chunk.text, chunk.markup).replace(/\s+/gu, ' ').trim())).toEqual(['Set {the value} to 3.', 'Keep it.']);
  });

  it('MDX: import and export statements are not content; JSX tags are skipped, the Markdown between them kept', () => {
    const text = "import Tabs from '@theme/Tabs';\n\n# Install\n\n<Tabs>\n\nRun the installer with npm.\n\n</Tabs>\n\nexport const meta = {\n  a: 1,\n};\n\nImport the package first.\n";
    expect(chunkFile('docs/a.mdx', text).chunks.map((chunk) => chunk.text)).toEqual(['Run the installer with npm.', 'Import the package first.']);
    // Docusaurus compiles `.md` as MDX too: there, module statements are not text either.
    expect(chunkFile('docs/a.md', text).chunks.map((chunk) => chunk.text)).toEqual(['Run the installer with npm.', 'Import the package first.']);
  });
});

describe('Markdown tables', () => {
  const header = '| Option | Type | Default | What it does |';
  const row = (i: number) => `| \`option${i}\` | \`number\` | \`${i * 100}\` | Controls how the client handles option ${i} when it connects to the gateway. |`;
  const long = ['# Client options', '', header, '| --- | --- | --- | --- |', ...Array.from({ length: 40 }, (_, i) => row(i)), '', 'After the table.', ''].join('\n');

  it('a long table is cut into pieces of whole rows, each carrying the exact header row and its line', () => {
    const lines = long.split('\n');
    const pieces = chunkMarkdown(long, 'options.md', 700).chunks.filter((chunk) => chunk.text.startsWith('|'));
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      // Whole rows: the piece is exactly its lines, each a full row.
      expect(piece.text).toBe(lines.slice(piece.lines[0] - 1, piece.lines[1]).join('\n'));
      for (const line of piece.text.split('\n')) expect(line).toMatch(/^\|.*\|$/u);
      expect(piece.tableHeader).toEqual({ line: 3, text: header });
      expect(lines[piece.tableHeader!.line - 1]).toBe(piece.tableHeader!.text);
    }
    // Every row is in exactly one piece.
    const rows = pieces.flatMap((piece) => piece.text.split('\n'));
    expect(new Set(rows).size).toBe(rows.length);
    expect(rows.length).toBe(42);
    expect(chunkMarkdown(long, 'options.md', 700).chunks.at(-1)).toMatchObject({ text: 'After the table.' });
    expect(chunkMarkdown(long, 'options.md', 700).chunks.at(-1)!.tableHeader).toBeUndefined();
  });

  it('a header row too long to show above quotes is left off', () => {
    const wide = `| ${Array.from({ length: 60 }, (_, i) => `column ${i}`).join(' | ')} |`;
    const text = [wide, `|${' - |'.repeat(60)}`, `|${' x |'.repeat(60)}`, ''].join('\n');
    const chunks = chunkMarkdown(text, 'wide.md', 700).chunks;
    expect(wide.length).toBeGreaterThan(500);
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) expect(chunk.tableHeader).toBeUndefined();
  });

  it('a short table is one passage, with its header row too', () => {
    const short = ['| a | b |', '| - | - |', '| 1 | 2 |', ''].join('\n');
    expect(chunkMarkdown(short, 't.md', 700).chunks).toEqual([{ text: '| a | b |\n| - | - |\n| 1 | 2 |', lines: [1, 3], tableHeader: { line: 1, text: '| a | b |' } }]);
  });
});

describe('neighbouring paragraphs', () => {
  it('of one section are one passage while they fit; a heading, code, skipped lines or the size end the run', () => {
    const text = [
      '# Guide', '', '## Deferring', '',
      'Discord wants an answer within three seconds.', '',
      'Deferring gives you fifteen minutes.', '',
      '<!-- a note for editors -->', '',
      'After the comment.', '',
      '[![badge](https://img.shields.io/x.svg)](https://x)', '',
      'After the badge.', '',
      '## Next', '',
      'Another section.', '',
      '```js', 'code();', '```', '',
      'After the code.', '',
      `${'Long sentence here. '.repeat(40).trim()}`, '',
    ].join('\n');
    const chunks = chunkMarkdown(text, 'guide.md', 700).chunks;
    expect(chunks.map((chunk) => [chunk.text, chunk.section ?? ''])).toEqual([
      ['Discord wants an answer within three seconds.\n\nDeferring gives you fifteen minutes.', 'Deferring'],
      ['After the comment.', 'Deferring'],
      ['After the badge.', 'Deferring'],
      ['Another section.', 'Next'],
      ['code();', 'Next'],
      ['After the code.', 'Next'],
      ...chunks.slice(6).map((chunk) => [chunk.text, 'Next']),
    ]);
    expect(chunks[0]!.lines).toEqual([5, 7]);
    // The long paragraph does not fit beside its neighbour: it stands alone, cut at sentences.
    expect(chunks.slice(6).every((chunk) => chunk.text.startsWith('Long sentence') && chunk.text.length <= 700)).toBe(true);
    for (const chunk of chunks) expect(chunk.text).not.toMatch(/<!--|shields/);
  });
});
