/**
 * A real documentation corpus through the whole pipeline (indexer, index, `ask`, renderers):
 * the discord.js guide (65 Markdown files) beside the bundled news articles.
 * - every indexed passage of both corpora is the exact text at its lines;
 * - references name sections, code is quoted as its exact lines and rendered as a code block
 *   within Discord's limits, and markup that is not content is never quoted;
 * - `file:` takes folders; titles shared by several files show their folder;
 * - tldr's mnemonic letters ("E[x]tract") are found as their words and quoted as written;
 * - the guide question set (tests/fixtures/guide-questions.json): its figures are printed and
 *   held above floors, every off-topic question refused, every quote verbatim.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ask, resolveFile, type Answer, type AnswerResult } from '../../src/core/answer.ts';
import { SourceLines, verbatimProblem } from '../../src/audit/cli-audit.ts';
import { answerQuotes } from '../../src/audit/answer-quotes.ts';
import { LIMITS } from '../../src/discord/limits.ts';
import { renderAnswer } from '../../src/discord/render/answer.ts';
import { openIndex } from '../../src/library/indexer.ts';
import { renderAnswerText } from '../../src/terminal/render.ts';
import type { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { BUNDLED_CORPUS, fileRecord, fold, indexOf, tempDir } from '../helpers.ts';

const GUIDE = path.resolve(import.meta.dirname, '../../../shared/corpora/discordjs-guide');

interface QuestionSet {
  answerable: Array<{ question: string; file: string; answer: string }>;
  offTopic: string[];
  headings: Array<{ question: string; file: string; answer: string }>;
}
const questions = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/guide-questions.json'), 'utf8')) as QuestionSet;

/** What is never content: front matter fences, HTML comments, link definitions, `:::` markers, badge images. */
const NOT_CONTENT = /^---\s*$|<!--|^\s*\[[^\]]+\]:\s|^ {0,3}:{3,}|^\s*\[!\[/mu;

let guide: VerbatimIndex;
let news: VerbatimIndex;
beforeAll(async () => {
  guide = (await openIndex({ corpusDir: GUIDE, indexDir: path.join(tempDir(), 'index') })).index;
  news = (await openIndex({ corpusDir: BUNDLED_CORPUS, indexDir: path.join(tempDir(), 'index') })).index;
}, 60_000);

describe('every indexed passage of both corpora is exact at its lines', () => {
  it.each([
    ['the discord.js guide', () => guide, GUIDE],
    ['the bundled news articles', () => news, BUNDLED_CORPUS],
  ])('%s', (_name, index, dir) => {
    let passages = 0;
    let tables = 0;
    for (const source of index().sources()) {
      const lines = readFileSync(path.join(dir, source), 'utf8').split('\n');
      for (const chunk of index().file(source)!.chunks) {
        passages++;
        const at = lines.slice(chunk.lines[0] - 1, chunk.lines[1]).join('\n');
        if (chunk.code) expect(at, `${source}:${chunk.lines.join('-')}`).toBe(chunk.text);
        else {
          expect(at.includes(chunk.text), `${source}:${chunk.lines.join('-')}`).toBe(true);
          expect(lines[chunk.lines[0] - 1]!.includes(chunk.text.split('\n')[0]!)).toBe(true);
        }
        expect(chunk.text).not.toMatch(NOT_CONTENT);
        // The guide's mock Discord chats are widgets, never passages (`isWidget`).
        expect(chunk.text).not.toMatch(/<\/?Discord(?:Messages?|Interaction|Buttons?|Embed)\b/u);
        // A table's header row is exact at its line, at or above the rows.
        if (chunk.tableHeader) {
          tables++;
          expect(lines[chunk.tableHeader.line - 1]!.includes(chunk.tableHeader.text)).toBe(true);
          expect(chunk.tableHeader.line).toBeLessThanOrEqual(chunk.lines[0]);
        }
      }
    }
    if (index() === guide) expect(tables).toBeGreaterThan(0);
    expect(passages).toBeGreaterThan(index() === guide ? 1500 : 50);
  });
});

describe('references and quotes on the guide', () => {
  it('a passage knows its section; a heading is never a passage of its own', () => {
    const file = guide.file('slash-commands/response-methods.md')!;
    const deferred = file.chunks.find((chunk) => chunk.text.includes('deferReply()') && !chunk.code)!;
    expect(deferred.section).toBe('Deferred responses');
    expect(file.chunks.some((chunk) => /^#{1,6}\s/u.test(chunk.text))).toBe(false);
    expect(guide.passage(deferred.id)).toMatchObject({ source: 'slash-commands/response-methods.md', section: 'Deferred responses' });
  });

  it('a code answer is its exact lines, a code block in Discord within the limits, and a bar block in the terminal', () => {
    const answer = ask(guide, 'getTextInputValue favoriteColorInput', { requireRelevance: false });
    const code = answer.results.find((result) => result.code !== undefined)!;
    expect(code).toBeDefined();
    expect(code.source).toBe('interactions/modals.md');
    expect(code.quote).toContain('\n');
    expect(verbatimProblem(new SourceLines(GUIDE), code)).toBeUndefined();

    const description = renderAnswer(answer).embeds![0]!.description!;
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(description).toContain('```js\n');
    const shown = answerQuotes(description);
    expect(shown.some((quote) => quote.code)).toBe(true);
    for (const quote of shown) expect(verbatimProblem(new SourceLines(GUIDE), quote), JSON.stringify(quote)).toBeUndefined();

    const text = renderAnswerText(answer, { color: false });
    expect(text).toMatch(/^\d+\. js:$/mu);
    expect(text).toContain(`interactions/modals.md:L${code.lines[0]}-L${code.lines[1]}`);
  });

  it('a long code answer is cut at a whole line in Discord and cites only the lines it shows', () => {
    const long = 'x'.repeat(60);
    const answer: Answer = {
      query: 'q', answered: true, terms: [], searched: 1, offset: 0, more: false, tookMs: 1,
      results: [1, 2, 3].map((n) => ({
        source: `f${n}.md`, lines: [10, 109], quote: Array.from({ length: 100 }, (_, i) => `${long} \`\`\` ${i}`).join('\n'), score: 1,
        highlights: [], title: 't', passageId: n, passageLines: [10, 109], also: [], coverage: 1, code: 'js', section: 'A › B',
      })),
    };
    const description = renderAnswer(answer).embeds![0]!.description!;
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    const shown = answerQuotes(description);
    expect(shown).toHaveLength(3);
    for (const quote of shown) {
      const lines = quote.quote.split('\n');
      expect(quote.lines).toEqual([10, 10 + lines.length - 1]);
      expect(lines.every((line, i) => line === `${long} \`\`\` ${i}`)).toBe(true);
    }
    // The fences inside were broken up: every block closes where it should.
    expect(description.match(/^```/gmu)!.length).toBe(6);
    expect(description).toContain('› A › B · L10–');
  });

  it('file: takes a folder; a file name shared by several files names them all', () => {
    const inFolder = resolveFile(guide, 'slash-commands/');
    expect(inFolder.size).toBe(6);
    // Without the slash, a folder name is a folder, unless a file has that name.
    expect([...resolveFile(guide, 'voice')]).toEqual([...resolveFile(guide, 'voice/')]);
    expect([...resolveFile(guide, 'slash-commands')]).toEqual(['creating-your-bot/slash-commands.md']);
    for (const result of ask(guide, 'reply to the interaction', { file: 'slash-commands/', top: 5, requireRelevance: false }).results) {
      expect(result.source.startsWith('slash-commands/')).toBe(true);
    }
    expect(resolveFile(guide, 'README.md').size).toBeGreaterThan(5);
    expect(resolveFile(guide, 'nothing-like-this/').size).toBe(0);
  });

  it('shows passages in rank order once the corpus answers: a better-ranked one under the threshold comes before the one that passed it', () => {
    const answer = ask(guide, 'can my bot open a private thread that only certain people can see');
    expect(answer.answered).toBe(true);
    // The threads page's PrivateThread example ranks first at 0.83; the v14 migration guide's
    // passage that passed the threshold (0.98) ranks third.
    expect(answer.results[0]).toMatchObject({ source: 'popular-topics/threads.md' });
  });

  it('a change log counts less unless the question asks about a change', () => {
    // The v14 migration guide's "Added the `threadName` property … to create a post" matched "post"
    // and "webhook" and came first; the webhooks page answers.
    expect(ask(guide, 'how can i ignore messages that were posted by a webhook').results[0]).toMatchObject({ source: 'popular-topics/webhooks.md' });
    // Asked about the update, the migration guide answers.
    expect(ask(guide, 'channel.isText is not a function after updating to v14, what replaces it?').results[0]).toMatchObject({ source: 'additional-info/changes-in-v14.md' });
  });

  it('titles shared by several files show their folder, or their path when the folder has both', () => {
    expect(guide.displayTitle('voice/README.md')).toBe('Introduction (voice/)');
    expect(guide.displayTitle('README.md')).toBe('Introduction (./)');
    expect(guide.displayTitle('popular-topics/embeds.md')).toBe('Embeds');
    // tldr's `jc.md` and `jc.json.md` are both "jc"; another folder's "jc" still shows its folder.
    const pages = indexOf(...['common/jc.md', 'common/jc.json.md', 'linux/jc.md'].map((source) => fileRecord(source, 'jc', ['Convert output to JSON.'])));
    expect(['common/jc.md', 'common/jc.json.md', 'linux/jc.md'].map((source) => pages.displayTitle(source))).toEqual(['jc (common/jc.md)', 'jc (common/jc.json.md)', 'jc (linux/)']);
  });
});

describe("tldr's mnemonic letters", () => {
  it('a word with a bracketed letter is found as the word, and quoted with its brackets', async () => {
    // tldr marks the letter a flag stands for: "E[x]tract" for `tar x`. Read as "E", "x" and
    // "tract", the page lacked the word its example is about, and another page answered.
    const dir = tempDir();
    const pages = {
      'tar.md': '# tar\n\n> Archiving utility.\n\n- E[x]tract an archive into the current directory:\n\n`tar xf {{path/to/source.tar}}`\n\n- Lis[t] the contents of an archive:\n\n`tar tf {{path/to/source.tar}}`\n',
      'zip.md': '# zip\n\n> Package and compress files into a zip archive.\n\n- Add a directory to an archive:\n\n`zip -r {{path/to/archive.zip}} {{path/to/directory}}`\n',
      'rm.md': '# rm\n\n> Remove files or directories.\n\n- Remove a directory and its contents [r]ecursively:\n\n`rm -r {{path/to/directory}}`\n',
      'rmdir.md': '# rmdir\n\n> Remove empty directories.\n\n- Remove a directory:\n\n`rmdir {{path/to/directory}}`\n',
    };
    for (const [name, text] of Object.entries(pages)) writeFileSync(path.join(dir, name), text);
    const { index } = await openIndex({ corpusDir: dir, indexDir: path.join(tempDir(), 'index') });
    const sources = new SourceLines(dir);
    for (const [question, source, quoted] of [
      ['how do i extract an archive', 'tar.md', 'E[x]tract an archive into the current directory'],
      ['delete a directory recursively', 'rm.md', 'its contents [r]ecursively'],
    ]) {
      const answer = ask(index, question!);
      expect(answer.answered, question).toBe(true);
      expect(answer.results[0], question).toMatchObject({ source });
      expect(answer.results[0]!.quote, question).toContain(quoted);
      for (const result of answer.results) expect(verbatimProblem(sources, result)).toBeUndefined();
    }
  });
});

describe('the guide question set', () => {
  it('is answered from the right file, quotes verbatim, and refuses every off-topic question', () => {
    const sources = new SourceLines(GUIDE);
    let fileAt1 = 0;
    let answerInTop3 = 0;
    for (const { question, file, answer } of questions.answerable) {
      const result = ask(guide, question);
      if (result.results[0]?.source === file) fileAt1++;
      // What a member reads: the quote and the code example shown after it.
      const shown = (r: AnswerResult) => (r.example ? `${r.quote}\n${r.example.quote}` : r.quote);
      if (result.results.slice(0, 3).some((r) => r.source === file && fold(shown(r)).includes(fold(answer)))) answerInTop3++;
      for (const quote of result.results) {
        expect(verbatimProblem(sources, quote), question).toBeUndefined();
        expect(shown(quote)).not.toMatch(NOT_CONTENT);
      }
    }
    for (const question of questions.offTopic) expect(ask(guide, question).answered, question).toBe(false);
    const n = questions.answerable.length;
    console.log(`guide question set: right file first ${fileAt1}/${n}, answer in a top-3 quote ${answerInTop3}/${n}, off-topic refused ${questions.offTopic.length}/${questions.offTopic.length}`);
    expect(n).toBeGreaterThanOrEqual(40);
    expect(questions.offTopic.length).toBeGreaterThanOrEqual(10);
    // Floors at today's figures (the goal is 90% and 85%): no change may lower them.
    expect(fileAt1).toBeGreaterThanOrEqual(FLOOR.fileAt1);
    expect(answerInTop3).toBeGreaterThanOrEqual(FLOOR.answerInTop3);
  });

  it('answers a question that names a page or a section first with the passage that opens it', () => {
    let openingFirst = 0;
    for (const { question, file, answer } of questions.headings) {
      const [first] = ask(guide, question).results;
      if (first?.source === file && fold(first.quote).includes(fold(answer))) openingFirst++;
    }
    const n = questions.headings.length;
    console.log(`guide questions naming a heading: answered first by the passage that opens it ${openingFirst}/${n}`);
    expect(n).toBeGreaterThanOrEqual(20);
    // 3 of 22 before topic-lead.ts.
    expect(openingFirst).toBeGreaterThanOrEqual(22);
  });
});

// fileAt1 was 35: weighing question words by their rarity in general English (answerability.ts)
// doubled the paraphrase set's answers and cut SQuAD questions answered from this corpus from 58
// to 44, but two guide questions now sit just under the threshold (0.889 and 0.909 against 0.91)
// and are refused. Lowered knowingly, once; 35 again since the model was refitted with irregular
// forms in the lexicon and a second wrong corpus; 36 with a verb and its particle one word apart;
// 37 with members' words beside the documentation's ("dropdown" → select menu, shorthand.ts);
// answerInTop3 27 since chat's fillers are stopwords ("what info can i actually rely on");
// fileAt1 38 since change logs count less (ranking.ts: "…posted by a webhook"); 39 since
// shorthand the corpus has is searched beside its full words ("info" meets information), which
// answers that same question first by the partials page's opening ("…any information besides
// their ID"), in other words than its answer phrase: answerInTop3 26, lowered knowingly; 27
// since a question's opening "so" is a stopword ("…to save memory" quotes cache-customization);
// 26 since the guide's mock chats are widgets, not passages (isWidget): "Reacting with fruits!"
// no longer counts towards how common "react" is, so two code passages of reactions.md pass
// cache-customization's answer to that same question (third → fourth), lowered knowingly; 30
// since prose is shown with the code example after it ("…if (message.webhookId) return;"); 31
// since code is shown under the prose before it ("The API does not provide a method for…"); 33
// since question words weigh by their rarity in English (a pasted "[DisallowedIntents]");
// fileAt1 40 since a passage and its page count alike (ranking.ts `fileWeight` 1): "which
// subcommand someone used" gets parsing-options, not cooldowns; 41 since a troubleshooting
// appeal is no question's words (framing.ts: "…, what's wrong" after a pasted error); 42 and
// 34 since a reply "nobody else … sees" reads as an ephemeral response (shorthand.ts `READINGS`).
const FLOOR = { fileAt1: 42, answerInTop3: 34 };
