/**
 * End to end, the real bot against the local Discord: every autocomplete interaction gets
 * exactly one answer — an empty list when there is nothing to offer (a command or option
 * without autocomplete, an option the handler does not know, a command the bot does not
 * have). And the bot's cold start: building the index is logged as progress lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLogger, PROGRESS_LOG_EVERY_MS } from '../../src/discord/bot.ts';
import { expectNoViolations, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('autocomplete is always answered, exactly once', () => {
  it.each([
    ['a command without autocomplete (/ask question)', 'ask', { question: 'Putin' }, 'question'],
    ['an option of /search the handler does not complete (query)', 'search', { query: '00' }, 'query'],
    ['an option of /source the handler does not complete (lines)', 'source', { file: '004', lines: '1' }, 'lines'],
    ['a command the bot does not know', 'nope', { what: 'x' }, 'what'],
  ])('%s: an empty list', async (_label, command, options, focused) => {
    const { ld } = h;
    const handle = ld.autocomplete(ld.members.alice, command, options, focused);
    const reply = await handle.waitForReply(5000);
    expect(reply.type).toBe(8);
    expect(reply.choices).toEqual([]);
    // Another round trip, then count: a late second answer would show up here (and as a violation).
    await ld.autocomplete(ld.members.alice, 'source', { file: '003' }, 'file').waitForReply();
    expect(handle.callbacks).toHaveLength(1);
    expectNoViolations(ld);
  });

  it('the file option still offers file names', async () => {
    const { ld } = h;
    const reply = await ld.autocomplete(ld.members.alice, 'search', { query: 'Putin', file: '003' }, 'file').waitForReply();
    expect(reply.choices).toEqual([{ name: '003_c6d5608b06e78f00.txt', value: '003_c6d5608b06e78f00.txt' }]);
    expectNoViolations(ld);
  });
});

describe('cold start progress', () => {
  it('the bot logged building its index as info lines, at most one every 2 s', () => {
    const lines = h.logs.filter((line) => line.msg === 'building the index');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatchObject({ level: 30, phase: 'scan', done: 0, total: 5 });
    for (let i = 1; i < lines.length; i++) expect((lines[i]!.time as number) - (lines[i - 1]!.time as number)).toBeGreaterThanOrEqual(PROGRESS_LOG_EVERY_MS);
  });

  it('progressLogger logs the first report, then at most one per interval', () => {
    const logged: unknown[] = [];
    const logger = { info: (fields: unknown, msg: string) => logged.push({ ...(fields as object), msg }) } as unknown as Parameters<typeof progressLogger>[0];
    let clock = 0;
    const report = progressLogger(logger, { now: () => clock });
    report({ phase: 'scan', done: 0, total: 100 });
    clock = 1999;
    report({ phase: 'read', done: 10, total: 100 });
    clock = 2000;
    report({ phase: 'read', done: 50, total: 100 });
    clock = 2500;
    report({ phase: 'index', done: 0, total: 100 });
    clock = 4100;
    report({ phase: 'save', done: 0, total: 1 });
    expect(logged).toEqual([
      { phase: 'scan', done: 0, total: 100, msg: 'building the index' },
      { phase: 'read', done: 50, total: 100, msg: 'building the index' },
      { phase: 'save', done: 0, total: 1, msg: 'building the index' },
    ]);
  });
});
