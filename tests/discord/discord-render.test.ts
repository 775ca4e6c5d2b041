import { beforeAll, describe, expect, it } from 'vitest';
import { ask, type Answer } from '../../src/core/answer.ts';
import { escapeText, formatQuote, formatReference } from '../../src/discord/format.ts';
import { clip, fitChoices, fitMessage, LIMITS } from '../../src/discord/limits.ts';
import { questionFromMention, threadName } from '../../src/discord/mentions.ts';
import { withoutDiscordMarkup } from '../../src/discord/ask-library.ts';
import { answerQuotes } from '../../src/audit/answer-quotes.ts';
import { SourceLines, verbatimProblem } from '../../src/audit/cli-audit.ts';
import { renderReindexReport, renderStats } from '../../src/discord/render/admin.ts';
import { codeBlockLines, renderAnswer, renderContext, renderSearch, renderSource } from '../../src/discord/render/answer.ts';
import { renderHelp } from '../../src/discord/render/help.ts';
import { openIndex } from '../../src/library/indexer.ts';
import type { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../../commands/index.ts';
import { answerJson } from '../../src/cli/ask.ts';
import { renderAnswerText } from '../../src/terminal/render.ts';
import { corpusCopy, tempDir } from '../helpers.ts';

let index: VerbatimIndex;
beforeAll(async () => {
  index = (await openIndex(corpusCopy())).index;
});

function embedTotal(payload: ReturnType<typeof renderAnswer>): number {
  return (payload.embeds ?? []).reduce(
    (sum, e) => sum + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((s, f) => s + f.name.length + f.value.length, 0),
    0,
  );
}

function expectWithinLimits(payload: ReturnType<typeof renderAnswer>): void {
  const fitted = fitMessage(payload);
  expect(fitted).toEqual(payload); // renderers already fit; the guard changes nothing
  expect(payload.content?.length ?? 0).toBeLessThanOrEqual(LIMITS.content);
  expect(payload.embeds?.length ?? 0).toBeLessThanOrEqual(LIMITS.embeds);
  for (const embed of payload.embeds ?? []) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedDescription);
    for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
  }
  expect(embedTotal(payload)).toBeLessThanOrEqual(LIMITS.embedTotal);
  for (const row of payload.components ?? []) for (const button of row.components) if ('custom_id' in button) expect(button.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
}

describe('renderAnswer with a real Answer from the bundled corpus', () => {
  it('quotes each result with bold matches, a reference and buttons', () => {
    const answer = ask(index, "Who is Putin's chef?");
    const payload = renderAnswer(answer, { key: 'abc123' });
    const embed = payload.embeds![0]!;
    expect(embed.title).toBe("Who is Putin's chef?");
    expect(embed.description).toContain('> ');
    expect(embed.description).toContain("**Putin's**");
    expect(embed.description).toContain('**chef**');
    expect(embed.description).toContain('000\\_0c2a6b0584480c89.txt · L17');
    expect(embed.footer?.text).toMatch(/64 passages searched · [\d.]+ ms/);
    const [more, context] = payload.components![0]!.components;
    expect(more).toMatchObject({ label: 'More', custom_id: 'more:abc123:1' });
    expect(context).toMatchObject({ label: 'Context', custom_id: 'ctx:abc123' });
    expectWithinLimits(payload);
  });

  it('links references when SOURCE_BASE_URL is set', () => {
    const answer = ask(index, 'Which magazine reported Goldman apology?');
    const embed = renderAnswer(answer, { sourceBaseUrl: 'https://example.org/docs' }).embeds![0]!;
    expect(embed.description).toContain('](https://example.org/docs/000_0c2a6b0584480c89.txt#L27)');
  });

  it('says "not in the corpus" in a friendly way and suggests /search', () => {
    const payload = renderAnswer(ask(index, 'How do I bake sourdough bread?'), { key: 'k' });
    expect(payload.embeds![0]!.description).toMatch(/Not found in the corpus/);
    expect(payload.embeds![0]!.description).toContain('/search');
    expect(payload.components).toBeUndefined();
  });

  it('says which "phrase" no passage contains, escaped and clipped, above the answer or the "not found"', () => {
    const pasted = ask(index, 'what did putin say "**this** ||never|| `appears` @everyone"');
    expect(pasted.unmatchedPhrases).toHaveLength(1);
    const description = renderAnswer(pasted, { key: 'k' }).embeds![0]!.description!;
    expect(description.startsWith('No passage contains "')).toBe(true);
    expect(description).toContain('showing passages with its words.');
    expect(description).not.toMatch(/(^|[^\\])\*\*this/);
    const long = ask(index, `"${'zzqx '.repeat(150)}"`);
    expect(long.answered).toBe(false);
    const notFound = renderAnswer(long).embeds![0]!.description!;
    expect(notFound).toMatch(/^No passage contains "zzqx zzqx .*…"; showing passages with its words\.\n\n\*\*Not found in the corpus/);
    expectWithinLimits(renderAnswer(long));
  });

  it('says which "phrase" passages have but none answers, escaped, above the answer', () => {
    const answer: Answer = { ...ask(index, 'what did peskov say'), unansweredPhrases: ['**theme** @everyone'] };
    const description = renderAnswer(answer, { key: 'k' }).embeds![0]!.description!;
    expect(description.split('\n')[0]).toBe(`No passage with "${escapeText('**theme** @everyone')}" answers; showing passages with its words.`);
    expect(description).not.toMatch(/(^|[^\\])\*\*theme/);
    expect(JSON.parse(answerJson(answer)).unansweredPhrases).toEqual(['**theme** @everyone']);
  });

  it('stays within the limits with 5 long results and a 300-character question', () => {
    const question = ('Russia election interference Facebook Putin report intelligence social media ').repeat(4).slice(0, 300);
    const answer = ask(index, question, { top: 5, requireRelevance: false });
    expect(answer.results).toHaveLength(5);
    expectWithinLimits(renderAnswer(answer, { key: 'k' }));
  });

  it('escapes markdown and mentions from corpus text and never lets them format', () => {
    const forged: Answer = {
      query: '@everyone **hi** <@&123456789012345678>',
      answered: true,
      results: [
        {
          source: 'evil_*name*.txt',
          lines: [1, 2],
          quote: '# Heading ||spoiler|| `code` [link](https://evil.example) @everyone <@123456789012345678> ~~x~~ _y_',
          score: 1,
          highlights: [[0, 1]],
          title: 't',
          passageId: 1,
          passageLines: [1, 2],
          also: [],
          coverage: 1,
        },
      ],
      terms: [],
      searched: 1,
      offset: 0,
      more: false,
      tookMs: 1,
    };
    const embed = renderAnswer(forged).embeds![0]!;
    expect(embed.description).toContain('\\|\\|spoiler\\|\\|');
    expect(embed.description).toContain('\\`code\\`');
    expect(embed.description).toContain('\\[link\\]\\(');
    expect(embed.description).not.toContain('https://evil');
    expect(embed.description).toContain('\\~\\~x\\~\\~');
    expect(embed.description).toContain('evil\\_\\*name\\*.txt');
    expect(embed.title).toContain('\\*\\*hi\\*\\*');
  });
});

/** The index of a corpus of one file. */
async function oneFileIndex(name: string, text: string): Promise<VerbatimIndex> {
  const dir = tempDir();
  writeFileSync(path.join(dir, name), text);
  return (await openIndex({ corpusDir: dir, indexDir: tempDir() })).index;
}

/** The corpus lines `verbatimProblem` checks a quote against: `text`'s, whatever the file. */
const linesOf = (text: string) => ({ lines: () => text.split('\n') }) as unknown as SourceLines;

describe('a quote of table rows under a header row it leaves out', () => {
  const header = '| Option | Type | Default | What it does |';
  const rows = Array.from({ length: 40 }, (_, i) => `| \`option${i}\` | \`number\` | \`${i * 100}\` | Controls how the client handles option ${i} when it connects. |`);
  const text = ['# Client options', '', header, '| --- | --- | --- | --- |', ...rows, ''].join('\n');
  let tables: VerbatimIndex;
  beforeAll(async () => {
    tables = await oneFileIndex('options.md', text);
  });

  it('shows the header row, exact at its line, above the rows in Discord, the terminal and --json', () => {
    const answer = ask(tables, 'what is the default of option37', { requireRelevance: false, top: 5 });
    const result = answer.results[0]!;
    expect(result.quote).toContain('`option37`');
    expect(result.lines[0]).toBeGreaterThan(3);
    expect(result.tableHeader).toEqual({ line: 3, text: header });
    expect(text.split('\n')[result.tableHeader!.line - 1]).toBe(result.tableHeader!.text);
    const payload = renderAnswer(answer, { key: 'k' });
    expect(payload.embeds![0]!.description).toContain(`> ${escapeText(header)}\n> …\n> `);
    expect(payload.embeds![0]!.description).toContain('(header row: L3)');
    expectWithinLimits(payload);
    expect(renderAnswerText(answer, { color: false })).toContain(`1. “${header}”\n   …\n   “`);
    expect(JSON.parse(answerJson(answer)).results[0].tableHeader).toEqual({ line: 3, text: header });
    // A quote that starts at the header row needs no second copy of it.
    for (const shown of answer.results) if (shown.lines[0] <= 3) expect(shown.tableHeader).toBeUndefined();
  });

  it('quotes whole rows, a line each, exact at the lines cited (a folded table read as one long row)', () => {
    // Two rows answer: the best run of whole rows is both.
    const answer = ask(tables, 'which options handle 36 and 37 when it connects', { requireRelevance: false, top: 5 });
    const result = answer.results[0]!;
    const quoted = result.quote.split('\n');
    expect(quoted.length).toBeGreaterThan(1);
    expect(quoted.length).toBe(result.lines[1] - result.lines[0] + 1);
    expect(quoted).toEqual(text.split('\n').slice(result.lines[0] - 1, result.lines[1]));
    // A cut table is quoted from its rows, never its header row alone: that is shown above.
    for (const shown of answer.results) expect(shown.quote.split('\n')[0]).not.toBe(header);
    expect(JSON.parse(answerJson(answer)).results[0].quote).toBe(result.quote);
    // Discord: a `> ` line per row, read back exact at its lines, as the audit reads it.
    const description = renderAnswer(answer, { key: 'k' }).embeds![0]!.description!;
    const shown = answerQuotes(description)[0]!;
    expect(shown.quote).toBe(result.quote);
    expect(shown.lines).toEqual(result.lines);
    expect(verbatimProblem(linesOf(text), { source: 'options.md', lines: shown.lines, quote: shown.quote })).toBeUndefined();
    // /search lists a passage per line: the rows are folded onto it.
    const search = renderSearch(ask(tables, 'which options handle 36 and 37 when it connects', { requireRelevance: false, top: 5 })).embeds![0]!.description!;
    expect(search.split('\n')).toHaveLength(answer.results.length);
    // The terminal: each row on its own line under the first.
    expect(renderAnswerText(answer, { color: false })).toContain(`${quoted[0]}\n    ${quoted[1]}`);
  });
});

describe('a quote of list items', () => {
  // Items wrapped in the source, as docs wrapped at 80 columns are: folded within an item, a line each.
  const items = ['Your bot needs `ManageRoles` to change base permissions,', 'It cannot edit roles that are higher than its highest role,', 'It cannot grant permissions it does not have,', 'It cannot ban a member whose role is higher than its own,'];
  const text = ['# Limits', '', 'What a bot cannot do:', '', ...items.flatMap((item) => [`- ${item}`, '  whatever permissions it was given.']), ''].join('\n');
  let lists: VerbatimIndex;
  beforeAll(async () => {
    lists = await oneFileIndex('limits.md', text);
  });

  it('shows each item on its own line, its wrapped lines folded, exact at the lines cited', () => {
    const answer = ask(lists, 'can my bot ban a member with a higher role', { requireRelevance: false, top: 3 });
    const result = answer.results.find((shown) => shown.quote.includes('- It cannot ban'))!;
    const shownItems = result.quote.replace(/^… /u, '').replace(/ …$/u, '').split('\n');
    expect(shownItems.length).toBeGreaterThan(1);
    // A list passage starts at its first item's text (the slice starts after the marker).
    for (const item of shownItems) expect(item).toMatch(/ whatever permissions it was given\.$/u);
    for (const item of shownItems.slice(1)) expect(item).toMatch(/^- /u);
    const description = renderAnswer(answer, { key: 'k' }).embeds![0]!.description!;
    const read = answerQuotes(description).find((quote) => quote.quote.includes('It cannot ban'))!;
    expect(read.lines).toEqual(result.lines);
    expect(verbatimProblem(linesOf(text), { source: 'limits.md', lines: read.lines, quote: read.quote })).toBeUndefined();
  });
});

describe('other renderers', () => {
  it('/search lists one line per passage with ~150 characters', () => {
    const answer = ask(index, 'election', { top: 10, requireRelevance: false });
    const payload = renderSearch(answer);
    const lines = payload.embeds![0]!.description!.split('\n');
    expect(lines).toHaveLength(10);
    for (const line of lines) {
      expect(line).toMatch(/^\*\*\d+\.\*\* .+ · L\d+/);
      expect(line.length).toBeLessThan(400);
    }
    expectWithinLimits(payload);
  });

  it('/source shows numbered lines in a code block, cut at a whole line to fit', () => {
    const lines = Array.from({ length: 500 }, (_, i) => ({ number: i + 1, text: `line ${i + 1} ` + 'x'.repeat(60) + ' ```' }));
    const payload = renderSource({ source: 'big.txt', title: 'Big', bytes: 40_000, passages: 10, totalLines: 500, lines });
    const description = payload.embeds![0]!.description!;
    expect(description).toContain('```\n  1  line 1');
    expect(description).toMatch(/Showing lines 1–\d+ of the 500 asked for/);
    expect(description.match(/```/g)).toHaveLength(2); // backticks in the text cannot close the block
    expectWithinLimits(payload);
  });

  it('context, stats, help and the reindex report fit', () => {
    const context = renderContext([{ source: 'a.txt', lines: [4, 5], context: codeBlockLines([], 10).shown ? [] : [{ number: 1, text: 'x' }] }]);
    expect(context.ephemeral).toBe(true);
    expectWithinLimits(context);
    expectWithinLimits(renderStats({ files: 5, passages: 64, indexBytes: 123456, uptimeSeconds: 3725, questionsAnswered: 7 }));
    expectWithinLimits(renderHelp(COMMANDS));
    const help = renderHelp(COMMANDS).embeds![0]!.description!;
    expect(help).toMatch(/quote/i);
    // Written from the definitions: every command, every option, required ones without brackets.
    expect(help).toContain('`/ask question: [results:] [private:]` — Answer a question with verbatim quotes from the documents.');
    for (const command of COMMANDS) for (const option of command.data.toJSON().options ?? []) expect(help).toContain(`\`${option.name}:\` ${option.description}`);
    const report = renderReindexReport({
      full: false,
      filesAdded: Array.from({ length: 200 }, (_, i) => `file-${i}.txt`),
      filesChanged: [],
      filesRemoved: [],
      filesUnchanged: 3,
      passagesAdded: 9,
      passagesRemoved: 0,
      skipped: [{ source: 'x.png', reason: 'not a .txt, .md or .mdx file' }],
      files: 203,
      passages: 900,
      durationMs: 42,
    });
    expect(report.embeds![0]!.description).toContain('Files added **200**');
    expectWithinLimits(report);
  });
});

describe('limits', () => {
  it('clip cuts at a word with … and never splits a surrogate pair', () => {
    expect(clip('hello wonderful world', 12)).toBe('hello…');
    const emoji = '😀'.repeat(60);
    const cut = clip(emoji, 101);
    expect(cut.length).toBeLessThanOrEqual(101);
    expect(cut.endsWith('…')).toBe(true);
    expect(/[\uD800-\uDBFF]$/.test(cut.slice(0, -1))).toBe(false);
    expect(clip('short', 100)).toBe('short');
  });

  it('fitMessage enforces content, description, field and 6000-total limits', () => {
    const fitted = fitMessage({
      content: 'a '.repeat(3000),
      embeds: Array.from({ length: 12 }, () => ({ title: 't'.repeat(300), description: 'word '.repeat(1000), fields: [{ name: 'n', value: 'v '.repeat(800) }] })),
    });
    expect(fitted.content!.length).toBeLessThanOrEqual(2000);
    expect(fitted.embeds).toHaveLength(10);
    let total = 0;
    for (const e of fitted.embeds!) {
      expect(e.title!.length).toBeLessThanOrEqual(256);
      expect(e.description?.length ?? 0).toBeLessThanOrEqual(4096);
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);
      total += e.title!.length + (e.description?.length ?? 0) + (e.fields ?? []).reduce((s, f) => s + f.name.length + f.value.length, 0);
    }
    expect(total).toBeLessThanOrEqual(6000);
  });

  it('autocomplete: at most 25 choices of at most 100 characters', () => {
    const choices = fitChoices(Array.from({ length: 40 }, (_, i) => ({ name: `${i}-`.padEnd(150, 'n'), value: `v${i}` })));
    expect(choices).toHaveLength(25);
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
    expect(fitChoices([{ name: 'x', value: 'v'.repeat(101) }])).toEqual([]);
  });
});

describe('format', () => {
  it('escapeText neutralises markdown, headings, lists and links', () => {
    expect(escapeText('# Title')).toBe('\\# Title');
    expect(escapeText('- item')).toBe('\\- item');
    expect(escapeText('> quoted')).toBe('\\> quoted');
    expect(escapeText('see https://x.y')).not.toContain('https://');
  });

  it('formatQuote bolds highlights after escaping and drops highlights cut off', () => {
    expect(formatQuote('a *b* c', [[0, 1], [6, 7]], 100)).toBe('**a** \\*b\\* **c**');
    expect(formatQuote('alpha beta gamma delta', [[17, 22]], 12)).toBe('alpha beta…');
  });

  it('formatReference says source · L12–14, or links it', () => {
    expect(formatReference('a.txt', [12, 14])).toBe('a.txt · L12–14');
    expect(formatReference('a.txt', [3, 3])).toBe('a.txt · L3');
    expect(formatReference('dir/a b.txt', [12, 14], 'https://h/x')).toBe('[dir/a b.txt · L12–14](https://h/x/dir/a%20b.txt#L12-L14)');
  });

  it('formatReference escapes odd file names once and encodes their URL', () => {
    const names = ['notes/a]b.txt', 'x[1].md', 'report (final).txt', 'dir (2)/c.txt', 'a b#c?d%e.txt', 'ünïcödé/日本.md', "it's!*.txt", '[x](y).txt'];
    // `[label](url)`: the label runs to the first unescaped `]`, the URL to the first `)`.
    const link = /^\[((?:\\.|[^\\\]])*)\]\(([^()\s]*)\)$/;
    for (const source of names) {
      const unescaped = (markdown: string) => markdown.replace(/\\(.)/g, '$1');
      const plainLabel = formatReference(source, [2, 3]);
      expect(unescaped(plainLabel), source).toBe(`${source} · L2–3`);
      expect(plainLabel, source).not.toContain('\\\\');

      const linked = formatReference(source, [2, 3], 'https://example.org/tree/main');
      const parts = link.exec(linked);
      expect(parts, `${source} → ${linked}`).not.toBeNull();
      const [, label, url] = parts!;
      expect(unescaped(label!), source).toBe(`${source} · L2–3`);
      expect(label, source).not.toContain('\\\\');
      expect(url!.startsWith('https://example.org/tree/main/')).toBe(true);
      expect(url!.endsWith('#L2-L3')).toBe(true);
      const path = url!.slice('https://example.org/tree/main/'.length, -'#L2-L3'.length);
      expect(path, source).toMatch(/^[A-Za-z0-9\-._~%/]*$/);
      expect(path.split('/').map(decodeURIComponent).join('/')).toBe(source);
    }
    expect(formatReference('report (final).txt', [4, 4], 'https://h')).toBe('[report \\(final\\).txt · L4](https://h/report%20%28final%29.txt#L4)');
    expect(formatReference('a]b.txt', [4, 4])).toBe('a\\]b.txt · L4');
  });
});

describe('mentions', () => {
  it('takes the question without the bot mention', () => {
    expect(questionFromMention('<@123456789012345678> who is Putin’s chef?', '123456789012345678')).toBe('who is Putin’s chef?');
    expect(questionFromMention('hey <@!123456789012345678>   what  now', '123456789012345678')).toBe('hey what now');
    expect(questionFromMention('<@123456789012345678>', '123456789012345678')).toBe('');
    // Other people, channels and emoji are not the question: not in the thread's name, and a
    // message that only mentions people gets the help.
    expect(questionFromMention('<@123456789012345678> <@42> can you check <#77> <:blobthink:99>', '123456789012345678')).toBe('can you check');
    expect(questionFromMention('<@123456789012345678> <@42>', '123456789012345678')).toBe('');
  });

  it('searches a question without Discord markup: mentions, emoji and timestamps out, a command mention as its name', () => {
    expect(withoutDiscordMarkup('<@!1234> <@&56> in <#78>: <:blobthink:90> <a:dance:12> since <t:1700000000:R> <t:1700000000> how do i ban')).toBe('in : since how do i ban');
    expect(withoutDiscordMarkup('after </ask:123> and </config set:456>')).toBe('after /ask and /config set');
    // Not Discord's: HTML and autolinks stay for the analyzer.
    expect(withoutDiscordMarkup('a <b>bold</b> <https://x.y> <@name>')).toBe('a <b>bold</b> <https://x.y> <@name>');
  });

  it('names threads after the question, ≤ 100 characters, cut at a word', () => {
    expect(threadName('Who is Putin’s chef?')).toBe('Who is Putin’s chef?');
    const long = threadName('why '.repeat(60));
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long.endsWith('…')).toBe(true);
    expect(threadName('   ')).toBe('Question');
  });
});
