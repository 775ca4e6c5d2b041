/**
 * Documentation explains, then shows: a prose answer followed at once by a code block in its
 * section is shown with that code (`AnswerResult.example`), exact at its own lines, and code
 * that ranks by itself is shown under that prose; each pair once.
 */
import { describe, expect, it } from 'vitest';
import { ask, type Answer } from '../../src/core/answer.ts';
import { MAX_EXAMPLE_GAP } from '../../src/core/options.ts';
import { chunkFile } from '../../src/library/documents.ts';
import { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { answerQuotes } from '../../src/audit/answer-quotes.ts';
import { renderAnswer } from '../../src/discord/render/answer.ts';
import { LIMITS } from '../../src/discord/limits.ts';
import { renderAnswerText } from '../../src/terminal/render.ts';

const webhooks = [
  '# Webhooks', // 1
  '',
  '## Detecting webhook messages',
  '',
  'A bot can detect a webhook message by checking whether its webhookId is set. In this example, the handler returns early.', // 5
  '',
  '<!-- eslint-skip -->',
  '```js',
  'if (message.webhookId) return;', // 9
  '```',
  '',
  '## Fetching webhooks',
  '',
  'Fetching the webhooks of a channel needs the Manage Webhooks permission.', // 14
  '',
  '## Editing webhooks',
  '',
  '```js',
  'await webhook.edit({ name: "Some-username" });', // 19
  '```',
  '',
  '## Deleting webhooks',
  '',
  'Deleting a webhook is permanent: the webhook token stops working at once.', // 24
  '',
  ...Array.from({ length: MAX_EXAMPLE_GAP }, (_, i) => `<!-- note ${i} -->`),
  '```js',
  'await webhook.delete("Not needed anymore");',
  '```',
  '',
  '## Sending messages',
  '',
  'To send through a webhook, call its send method with the content:',
  '',
  '```js',
  'await webhookClient.send({ content: "Webhook test", username: "some-username" });',
  '```',
].join('\n');

const files: Record<string, string> = {
  'webhooks.md': webhooks,
  // Other pages, so that the words asked are rare here, as in real documentation.
  ...Object.fromEntries(['Buttons', 'Embeds', 'Threads', 'Emojis'].map((topic) => [`${topic.toLowerCase()}.md`, `# ${topic}\n\n${topic} are part of a message a bot sends.\n`])),
};

const index = new VerbatimIndex();
index.apply(
  Object.entries(files).map(([source, text], f) => ({ source, size: text.length, mtimeMs: 0, sha256: String(f), ...chunkFile(source, text) })),
  [],
);
const lines = webhooks.split('\n');

describe('a prose answer and the code example after it', () => {
  it('shows the code that follows in its section, exact at its own lines, and not again as a result', () => {
    const answer = ask(index, 'how can a bot detect a webhook message webhookId', { top: 5 });
    const [first] = answer.results;
    expect(first).toMatchObject({ source: 'webhooks.md', lines: [5, 5], section: 'Detecting webhook messages' });
    expect(first!.example).toMatchObject({ lines: [9, 9], code: 'js', quote: lines[8] });
    expect(answer.results.filter((result) => result.passageId === first!.example!.passageId)).toHaveLength(0);
    // `/search` lists passages one line each: the code is a result there.
    const listed = ask(index, 'how can a bot detect a webhook message webhookId', { top: 5, requireRelevance: false });
    expect(listed.results.some((result) => result.example)).toBe(false);
    expect(listed.results.some((result) => result.code !== undefined && result.lines[0] === 9)).toBe(true);
  });

  it('shows code that ranks by itself under the prose that introduces it, once, at its own lines', () => {
    const at = (text: string) => lines.indexOf(text) + 1;
    const answer = ask(index, 'webhookClient.send username', { top: 5 });
    const [first] = answer.results;
    const intro = at('To send through a webhook, call its send method with the content:');
    const code = at('await webhookClient.send({ content: "Webhook test", username: "some-username" });');
    expect(first).toMatchObject({ source: 'webhooks.md', lines: [intro, intro], section: 'Sending messages', quote: lines[intro - 1] });
    expect(first!.code).toBeUndefined();
    expect(first!.example).toMatchObject({ lines: [code, code], code: 'js', quote: lines[code - 1] });
    expect(answer.results.filter((result) => result.lines[0] === intro || result.lines[0] === code)).toHaveLength(1);
    // Code right under its heading has no prose of its own section before it: shown alone.
    const editing = ask(index, 'webhook.edit Some-username', { top: 5 }).results[0]!;
    expect(editing).toMatchObject({ lines: [19, 19], code: 'js' });
    expect(editing.example).toBeUndefined();
  });

  it('takes no code from the next section, nor code further below than MAX_EXAMPLE_GAP lines', () => {
    const fetching = ask(index, 'what permission does fetching webhooks need', { top: 5 });
    expect(fetching.results[0]).toMatchObject({ source: 'webhooks.md', lines: [14, 14] });
    expect(fetching.results[0]!.example).toBeUndefined();
    const deleting = ask(index, 'is deleting a webhook permanent', { top: 5 });
    expect(deleting.results[0]).toMatchObject({ source: 'webhooks.md', lines: [24, 24] });
    expect(deleting.results[0]!.example).toBeUndefined();
  });

  it('is shown after the quote in Discord and the terminal, with one reference citing both', () => {
    const answer = ask(index, 'how can a bot detect a webhook message webhookId');
    const description = renderAnswer(answer).embeds![0]!.description!;
    expect(description).toContain('```js\nif (message.webhookId) return;\n```\n— webhooks.md › Detecting webhook messages · L5, L9');
    const shown = answerQuotes(description);
    expect(shown.slice(0, 2)).toEqual([
      { source: 'webhooks.md', lines: [5, 5], quote: lines[4] },
      { source: 'webhooks.md', lines: [9, 9], quote: lines[8], code: true },
    ]);
    const text = renderAnswerText(answer, { color: false });
    expect(text).toContain('   js:\n   │ if (message.webhookId) return;\n   — webhooks.md:L5-L5, L9-L9 › Detecting webhook messages');
  });

  it('fits Discord\'s limits with long quotes and long examples, each cut at a whole line and cited by what it shows', () => {
    const long = 'y'.repeat(70);
    const answer: Answer = {
      query: 'q', answered: true, terms: [], searched: 1, offset: 0, more: false, tookMs: 1,
      results: [1, 2, 3, 4, 5].map((n) => ({
        source: `f${n}.md`, lines: [1, 1], quote: 'word '.repeat(400), score: 1, highlights: [], title: 't', passageId: n,
        passageLines: [1, 1], also: [], coverage: 1, section: 'A',
        example: { lines: [10, 109], quote: Array.from({ length: 100 }, (_, i) => `${long} ${i}`).join('\n'), code: 'js', passageId: 10 + n },
      })),
    };
    const description = renderAnswer(answer).embeds![0]!.description!;
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    const shown = answerQuotes(description);
    expect(shown).toHaveLength(10);
    for (const example of shown.filter((quote) => quote.code)) {
      const exampleLines = example.quote.split('\n');
      expect(exampleLines.length).toBeGreaterThan(1);
      expect(example.lines).toEqual([10, 10 + exampleLines.length - 1]);
      expect(exampleLines.every((line, i) => line === `${long} ${i}`)).toBe(true);
    }
  });
});
