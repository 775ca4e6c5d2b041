/**
 * A paste into the terminal is one message, as Discord's message box keeps it
 * (`src/terminal/pasted-lines.ts`); typed lines, piped lines and commands are one each.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { messagesOf } from '../../src/terminal/pasted-lines.ts';

/** Feeds `turns` to a fake readline: each turn's lines in one go, the next turn later. */
async function read(turns: string[][], together: boolean): Promise<string[]> {
  const lines = new EventEmitter();
  const messages = messagesOf(lines, together);
  const out: string[] = [];
  const reading = (async () => {
    for await (const message of messages) out.push(message);
  })();
  for (const turn of turns) {
    for (const line of turn) lines.emit('line', line);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  lines.emit('close');
  await reading;
  return out;
}

const TRACE = ['TypeError: Cannot read properties of undefined (reading \'execute\')', '    at Client.<anonymous> (/home/bot/index.js:42:17)', '    at Client.emit (node:events:517:28)'];

describe('terminal lines as messages', () => {
  it('in a terminal, lines that arrive together are one message; a line typed later is another', async () => {
    expect(await read([TRACE, ['how do i fix it']], true)).toEqual([TRACE.map((line) => line.trim()).join('\n'), 'how do i fix it']);
  });

  it('piped input is one message per line, as a script of questions is', async () => {
    expect(await read([TRACE], false)).toEqual(TRACE.map((line) => line.trim()));
  });

  it('a command or a button number is never joined to other lines', async () => {
    expect(await read([['what are intents', '/quit']], true)).toEqual(['what are intents', '/quit']);
    expect(await read([['2', 'what are intents']], true)).toEqual(['2', 'what are intents']);
  });

  it('blank lines of a paste are dropped from it, and the end of input ends the messages', async () => {
    expect(await read([['first line', '', 'second line']], true)).toEqual(['first line\nsecond line']);
    expect(await read([], true)).toEqual([]);
  });
});
