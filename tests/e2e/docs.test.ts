/**
 * End to end with a documentation tree: the discord.js guide copied into the corpus under
 * `guide/`, beside the news articles. The real bot against the local Discord: a code answer
 * is a code block whose lines are exact at the cited range, prose comes with the code example
 * after it, references name the section,
 * `/source` lists the candidates of an ambiguous name, autocomplete offers folders, and
 * `/search file:` takes a folder.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceLines, verbatimProblem } from '../../src/audit/cli-audit.ts';
import { answerQuotes } from '../../src/audit/answer-quotes.ts';
import { buttonIds, expectNoViolations, NO_PINGS_JSON, plain, startHarness, type Harness } from './harness.ts';

const GUIDE = path.resolve(import.meta.dirname, '../../../shared/corpora/discordjs-guide');

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ prepare: (corpusDir) => cpSync(GUIDE, path.join(corpusDir, 'guide'), { recursive: true }) });
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

describe('a documentation corpus in Discord', () => {
  it('/ask: a code answer is a code block with its language, exact at the lines cited, with the section named', async () => {
    const { ld } = h;
    const reply = await ld.slashCommand(ld.members.alice, 'ask', { question: 'getTextInputValue favoriteColorInput' }).waitForReply();
    const description = reply.message!.embeds[0]!.description!;
    expect(description).toMatch(/^```js\n/mu);
    const quotes = answerQuotes(description);
    const code = quotes.find((quote) => quote.code && quote.source === 'guide/interactions/modals.md');
    expect(code).toBeDefined();
    for (const quote of quotes) expect(verbatimProblem(new SourceLines(h.corpusDir), quote), JSON.stringify(quote)).toBeUndefined();
    expect(plain(description)).toMatch(/— guide\/interactions\/modals\.md › [^\n]+ · L\d+/u);
    expectNoViolations(ld);
  });

  it('/ask: prose is shown with the code example after it, both exact at the lines one reference cites', async () => {
    const { ld } = h;
    const reply = await ld.slashCommand(ld.members.alice, 'ask', { question: 'how do I detect that a webhook sent a message' }).waitForReply();
    const description = reply.message!.embeds[0]!.description!;
    expect(plain(description)).toMatch(/^> [^\n]+\n```js\n[^`]+```\n— guide\/popular-topics\/webhooks\.md › Detecting webhook messages · L\d+, L\d+/mu);
    const [prose, example] = answerQuotes(description);
    expect(prose).toMatchObject({ source: 'guide/popular-topics/webhooks.md' });
    expect(example).toMatchObject({ source: 'guide/popular-topics/webhooks.md', code: true });
    expect(example!.lines[0]).toBeGreaterThan(prose!.lines[1]);
    for (const quote of [prose!, example!]) expect(verbatimProblem(new SourceLines(h.corpusDir), quote), JSON.stringify(quote)).toBeUndefined();
    // Context shows the lines from the quote's first to the example's last, with the code.
    const context = (await ld.pressButton(ld.members.alice, reply.message!, buttonIds(reply.message)[1]!).waitForReply()).message!;
    const contextText = plain(context.embeds[0]!.description!);
    expect(contextText).toContain(`guide/popular-topics/webhooks.md · L${prose!.lines[0]}–${example!.lines[1]}`);
    expect(contextText).toContain(example!.quote);
    expectNoViolations(ld);
  });

  it('/ask: a member mention, role, channel or emoji in the question is not searched as words', async () => {
    // The mentioned user's ID matched the guide's example client_id: the answer was an invite link.
    const { ld } = h;
    const question = '<@123456789012345678> <#123456789012345679> <:blobthink:123456789012345680> how do i make a slash command';
    const reply = await ld.slashCommand(ld.members.alice, 'ask', { question }).waitForReply();
    const references = answerQuotes(reply.message!.embeds[0]!.description!).map((quote) => quote.source);
    expect(references[0]).toBe('guide/creating-your-bot/command-deployment.md');
    expect(references).not.toContain('guide/preparations/adding-your-bot-to-servers.md');
    expect(reply.message!.allowed_mentions).toEqual(NO_PINGS_JSON);
    expectNoViolations(ld);
  });

  it('/source with a name several files share lists them instead of refusing', async () => {
    const { ld } = h;
    const reply = await ld.slashCommand(ld.members.alice, 'source', { file: 'README.md' }).waitForReply();
    expect(reply.ephemeral).toBe(true);
    const content = reply.message!.content;
    expect(content).toMatch(/^`README\.md` matches \d+ files; which one\?/u);
    expect(content).toContain('`guide/voice/README.md`');
    expect(content).not.toMatch(/not a file/u);
    expectNoViolations(ld);
  });

  it('autocomplete offers folders with their file counts, then files', async () => {
    const { ld } = h;
    const reply = await ld.autocomplete(ld.members.alice, 'search', { query: 'reply', file: 'guide/slash' }, 'file').waitForReply();
    const choices = reply.choices as Array<{ name: string; value: string }>;
    expect(choices[0]).toEqual({ name: 'guide/slash-commands/ (6 files)', value: 'guide/slash-commands/' });
    expect(choices.some((choice) => choice.value === 'guide/slash-commands/response-methods.md')).toBe(true);
    expect(choices.length).toBeLessThanOrEqual(25);
    expectNoViolations(ld);
  });

  it('/search file: a folder keeps every result inside it', async () => {
    const { ld } = h;
    const reply = await ld.slashCommand(ld.members.alice, 'search', { query: 'reply interaction', file: 'guide/slash-commands/' }).waitForReply();
    const lines = plain(reply.message!.embeds[0]!.description!).replaceAll('**', '').split('\n').filter((line) => /^\d+\. /u.test(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\d+\. guide\/slash-commands\//u);
    expectNoViolations(ld);
  });
});
