/**
 * The local console's `/command name: value` lines are checked against the commands' JSON
 * definitions (what `deploy-commands` registers), as Discord's client checks what a member
 * types: one readable line per problem, never an interaction the bot cannot handle.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/discord/registry.ts';
import { commandShapes, parseSlashLine, type CommandShape } from '../../src/console/console.ts';

let commands: CommandShape[];
beforeAll(async () => {
  commands = commandShapes(commandDefinitions());
});

function error(line: string): string {
  const parsed = parseSlashLine(line, commands);
  expect(parsed).toHaveProperty('error');
  return (parsed as { error: string }).error;
}

describe('parseSlashLine', () => {
  it('types valid options from the definitions', () => {
    expect(parseSlashLine("/ask question: who is Putin's chef? results: 2 private: true", commands)).toEqual({
      name: 'ask',
      options: { question: "who is Putin's chef?", results: 2, private: true },
    });
    expect(parseSlashLine('/ask question: x private: no', commands)).toEqual({ name: 'ask', options: { question: 'x', private: false } });
    expect(parseSlashLine('/search query: Putin limit: 10', commands)).toEqual({ name: 'search', options: { query: 'Putin', limit: 10 } });
    expect(parseSlashLine('/source file: 004 lines: 1-3', commands)).toEqual({ name: 'source', options: { file: '004', lines: '1-3' } });
    expect(parseSlashLine('/stats', commands)).toEqual({ name: 'stats', options: {} });
  });

  it('a required option that is missing', () => {
    expect(error('/ask results: 2')).toBe('/ask needs the option "question" (question: …)');
    expect(error('/source')).toBe('/source needs the option "file" (file: …)');
  });

  it('a whole number that is not one, or out of range', () => {
    expect(error('/ask question: hello results: abc')).toBe('/ask results: "abc" is not a whole number');
    expect(error('/ask question: hello results: 2.5')).toBe('/ask results: "2.5" is not a whole number');
    expect(error('/ask question: hello results: 9')).toBe('/ask results: must be from 1 to 5 (got 9)');
    expect(error('/ask question: hello results: 0')).toBe('/ask results: must be from 1 to 5 (got 0)');
    expect(error('/search query: x limit: 11')).toBe('/search limit: must be from 1 to 10 (got 11)');
  });

  it('strings too long, and empty values', () => {
    expect(error(`/ask question: ${'x'.repeat(400)}`)).toBe('/ask question: at most 300 characters (got 400)');
    expect(error('/source file: 004 lines: 1-2-3-4-5-6-7-8-9-10-11')).toBe('/source lines: at most 20 characters (got 23)');
    expect(error('/ask question:')).toBe('/ask question: needs a value');
  });

  it('booleans are true or false', () => {
    expect(error('/ask question: x private: maybe')).toBe('/ask private: must be true or false (got "maybe")');
  });

  it('unknown option names, options given twice, options for a command without any', () => {
    expect(error('/ask nope: 1 question: x')).toBe('/ask has no option "nope" (it has: question, results, private)');
    expect(error('/search query: x limit: 2 nope: 3')).toBe('/search has no option "nope" (it has: query, file, limit)');
    expect(error('/ask question: x results: 1 results: 2')).toBe('/ask results: given twice');
    expect(error('/help me')).toBe('/help takes no options');
    expect(error('/ask who is it?')).toMatch(/^\/ask give options as name: value — \/ask question: … \[results: …\] \[private: …\]/);
  });

  it('one line per problem', () => {
    expect(error('/ask results: abc private: maybe').split('\n')).toEqual([
      '/ask results: "abc" is not a whole number',
      '/ask private: must be true or false (got "maybe")',
      '/ask needs the option "question" (question: …)',
    ]);
  });

  it('choices, as a definition may declare them', () => {
    const shapes: CommandShape[] = [
      { name: 'pick', options: [{ name: 'colour', type: 3, required: true, choices: [{ name: 'Red', value: 'red' }, { name: 'Blue', value: 'blue' }] }, { name: 'n', type: 10, min_value: 0.5 }] },
    ];
    expect(parseSlashLine('/pick colour: red', shapes)).toEqual({ name: 'pick', options: { colour: 'red' } });
    expect(parseSlashLine('/pick colour: Blue n: 1.5', shapes)).toEqual({ name: 'pick', options: { colour: 'blue', n: 1.5 } });
    expect((parseSlashLine('/pick colour: green n: 0.1', shapes) as { error: string }).error.split('\n')).toEqual([
      '/pick colour: must be one of Red, Blue (got "green")',
      '/pick n: must be at least 0.5 (got 0.1)',
    ]);
  });

  it('unknown commands list the commands', () => {
    expect(error('/nope')).toBe('Unknown command /nope. Commands: /ask /search /source /stats /reindex /help');
  });
});
