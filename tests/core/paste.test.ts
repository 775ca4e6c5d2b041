/**
 * A pasted stack trace's frames and the IDs of a pasted error are not searched
 * (`src/core/paste.ts`): with them, a pasted API error was "Not found"; the error alone finds
 * the page that explains it. Words that only look like a frame or an ID stay words.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { Analyzer } from '../../src/core/analyzer.ts';
import { parseQuery, QueryError } from '../../src/core/query.ts';
import { isIdValue, isLocation, withoutStackFrames } from '../../src/core/paste.ts';
import { openIndex } from '../../src/library/indexer.ts';
import type { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { tempDir } from '../helpers.ts';

const GUIDE = path.resolve(import.meta.dirname, '../../../shared/corpora/discordjs-guide');
const questions = (JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/guide-questions.json'), 'utf8')) as { answerable: Array<{ question: string }> }).answerable;
const searched = (text: string) => withoutStackFrames(text.replace(/\s+/gu, ' ').trim().split(' ')).join(' ');

const NODE_TRACE = `
    at handleErrors (/app/node_modules/@discordjs/rest/dist/index.js:727:13)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
    at async BurstHandler.runRequest (/app/node_modules/@discordjs/rest/dist/index.js:831:23)
    at Timeout.<anonymous> [as _onTimeout] (file:///home/bot/src/index.mjs:12:9)
    at new Promise (<anonymous>)
    at node:internal/main/run_main_module:28:49`;

describe('a pasted stack trace', () => {
  it("leaves out Node's, Java's and Python's frames and keeps the error", () => {
    expect(searched(`DiscordAPIError[50035]: Invalid Form Body ${NODE_TRACE}`)).toBe('DiscordAPIError[50035]: Invalid Form Body');
    expect(searched('java.lang.IllegalStateException: Not connected\n\tat com.acme.bot.Gateway.send(Gateway.java:88)\n\tat com.acme.bot.Main.main(Main.java:12)')).toBe(
      'java.lang.IllegalStateException: Not connected',
    );
    expect(
      searched('Traceback (most recent call last):\n  File "/app/main.py", line 14, in read_item\n    return items[item_id]\n  File "C:\\Program Files\\app\\db.py", line 3, in <module>\nKeyError: \'foo\''),
    ).toBe("return items[item_id] KeyError: 'foo'");
  });

  it('keeps what only looks like a frame: words after "at", a host and port, a time, a file without a line', () => {
    expect(searched('why does my bot crash at login in src/bot.js:10:3')).toBe('why does my bot crash at login in');
    expect(searched('it crashes at login. see src/bot.js:10:3')).toBe('it crashes at login. see');
    expect(searched("can't reach the dashboard at 127.0.0.1:8080 from my phone")).toBe("can't reach the dashboard at 127.0.0.1:8080 from my phone");
    expect(searched('the reminder fires at 12:30:45 instead of noon')).toBe('the reminder fires at 12:30:45 instead of noon');
    expect(searched('look at index.js and tell me (please) what breaks')).toBe('look at index.js and tell me (please) what breaks');
    expect(searched('File "config.json" is missing, line 3 of the guide says to create it')).toBe('File "config.json" is missing, line 3 of the guide says to create it');
    for (const word of ['index.js:727:13', '(node:internal/timers:569:17)', 'src/index.ts:12', 'C:\\bot\\index.js:4,', '/app/main.py:18:', './main.go:12:2:']) expect(isLocation(word), word).toBe(true);
    for (const word of ['127.0.0.1:8080', 'localhost:3000', '12:30', 'ratio:1:2x', 'https://discord.com/developers', ':12:3']) expect(isLocation(word), word).toBe(false);
  });

  it("leaves out an ID's value, keeps numbers that are quantities, codes and versions", () => {
    for (const term of ['1217741920331894815', '1700000000000', 'aw50zxjhy3rpb246mtixnzc0mtkymdmz', '3f1c2a9e8b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a']) expect(isIdValue(term), term).toBe(true);
    for (const term of ['50013', '10062', '404', 'v10', '2000', 'sqlite3', 'processticksandrejections', 'interactioncreate']) expect(isIdValue(term), term).toBe(false);
    const analyzer = new Analyzer();
    const pasted = "DiscordAPIError[50013]: Missing Permissions { rawError: { message: 'Missing Permissions', code: 50013 }, url: 'https://discord.com/api/v10/guilds/884411276512034816/members/402998117630984192' }";
    const terms = parseQuery(pasted, analyzer).terms;
    expect(terms).toEqual(expect.arrayContaining(['50013', 'miss', 'permiss', 'guild', 'member']));
    expect(terms).not.toContain('884411276512034816');
  });

  it('is not counted against the length limit, up to a message of 4,000 characters', () => {
    const analyzer = new Analyzer();
    const error = `TypeError: Cannot read properties of undefined (reading 'execute') ${'why '.repeat(200)}`;
    const trace = `${NODE_TRACE}`.repeat(8);
    expect(error.length + trace.length).toBeGreaterThan(1000);
    expect(parseQuery(`${error}${trace}`, analyzer).free).toBe(parseQuery(error, analyzer).free);
    expect(() => parseQuery(`${error}${trace.repeat(3)}`, analyzer)).toThrow(QueryError);
    expect(() => parseQuery(`${error}${error}`, analyzer)).toThrow(/too long \(\d+ characters; the limit is 1000\)/);
  });

  describe('asked of the discord.js guide', () => {
    let guide: VerbatimIndex;
    beforeAll(async () => {
      guide = (await openIndex({ corpusDir: GUIDE, indexDir: path.join(tempDir(), 'index') })).index;
    });

    it('an API error pasted with its trace gets the page that explains it, as the error alone does', () => {
      const error = 'DiscordAPIError[50035]: Invalid Form Body data.components[0].components[0].custom_id[BASE_TYPE_REQUIRED]: This field is required';
      const alone = ask(guide, error);
      const pasted = ask(guide, `${error}${NODE_TRACE}`);
      expect(alone.results[0]?.source).toBe('popular-topics/errors.md');
      expect(pasted.answered).toBe(true);
      expect(pasted.results.map((result) => result.passageId)).toEqual(alone.results.map((result) => result.passageId));
    });

    it("a pasted error object is answered as it would be without its IDs", () => {
      const url = 'https://discord.com/api/v10/guilds/1046195813221515264/members/1133357829718474823/roles/1046201229911871568';
      const pasted = (where: string) => `my /timeout command fails for every moderator: DiscordAPIError[50013]: Missing Permissions { rawError: { message: 'Missing Permissions', code: 50013 }, code: 50013, status: 403, method: 'PUT', url: '${where}' }`;
      const answer = ask(guide, pasted(url));
      expect(answer.answered).toBe(true);
      expect(answer.results.map((result) => result.passageId)).toEqual(ask(guide, pasted(url.replace(/\/\d+/gu, ''))).results.map((result) => result.passageId));
    });

    it("every question of the guide set keeps its top file with a trace after it", () => {
      for (const { question } of questions) {
        expect(ask(guide, `${question}${NODE_TRACE}`).results[0]?.source, question).toBe(ask(guide, question).results[0]?.source);
      }
    });
  });
});
