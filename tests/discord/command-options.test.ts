/**
 * Command options are declared once (`src/discord/options.ts`): the definition Discord gets,
 * the arguments `execute` reads and `/help` come from the same data, so a renamed option is
 * a compile error where it is read. `npm test` type-checks this file first: each
 * `@ts-expect-error` below fails the run if the wrong name ever compiles.
 */
import { describe, expect, it } from 'vitest';
import { options as askOptions } from '../../commands/ask.ts';
import { options as searchOptions } from '../../commands/search.ts';
import { argumentsOf, slashCommand, type ArgumentsOf } from '../../src/discord/options.ts';

/** An interaction whose options hold these values, read as discord.js reads them. */
function interactionWith(values: Record<string, string | number | boolean>) {
  const get = (name: string, required = false) => {
    if (values[name] === undefined && required) throw new Error(`missing required option ${name}`);
    return values[name] ?? null;
  };
  return { options: { getString: get, getInteger: get, getBoolean: get } } as never;
}

describe('typed command options', () => {
  it('reads each declared option under its own name, required ones always set', () => {
    const args = argumentsOf(interactionWith({ question: 'who is putins chef', results: 2 }), askOptions);
    expect(args).toEqual({ question: 'who is putins chef', results: 2, private: undefined });
    const question: string = args.question;
    const results: number | undefined = args.results;
    expect([question, results]).toEqual(['who is putins chef', 2]);
    // @ts-expect-error: /ask has no option "questoin"; a misspelt or renamed option does not compile.
    expect(args.questoin).toBeUndefined();
    const search = argumentsOf(interactionWith({ query: 'intents' }), searchOptions);
    // @ts-expect-error: `question` is /ask's option, not /search's.
    expect(search.question).toBeUndefined();
    // @ts-expect-error: an optional option may be missing, so it is not a plain string.
    const file: string = search.file;
    expect(file).toBeUndefined();
    expect(() => argumentsOf(interactionWith({}), askOptions)).toThrow('missing required option question');
  });

  it('builds the definition Discord gets from the same declaration', () => {
    const options = [
      { type: 'string', name: 'text', description: 'Some text', required: true, maxLength: 50, autocomplete: true },
      { type: 'integer', name: 'count', description: 'How many', min: 1, max: 9 },
      { type: 'boolean', name: 'loud', description: 'Out loud' },
    ] as const;
    const json = slashCommand({ name: 'echo', description: 'Says it again' }, options).toJSON();
    expect(json.options).toMatchObject([
      { name: 'text', required: true, max_length: 50, autocomplete: true },
      { name: 'count', required: false, min_value: 1, max_value: 9 },
      { name: 'loud', required: false },
    ]);
    const typed: ArgumentsOf<typeof options> = { text: 'a', count: undefined, loud: true };
    expect(Object.keys(typed)).toEqual(options.map((option) => option.name));
  });
});
