/**
 * `npm run -s ask -- [--json] [--top N] [--corpus DIR] [--index DIR] [--file F] "question"`
 * One question (or one per line of F) → quoted answers. `--json` prints one line per question.
 */
import { promises as fs } from 'node:fs';
import { ask, MAX_TOP, type Answer } from '../answer.ts';
import { Analyzer } from '../analyzer.ts';
import { openIndex, resolveLocation } from '../indexer.ts';
import { parseQuery, QueryError } from '../query.ts';
import { renderAnswerText } from '../render-terminal.ts';
import type { VerbatimIndex } from '../search-index.ts';
import { cliLogger, intFlag, parseCliArgs, runCli, UsageError } from './run.ts';

/** The stable `--json` shape (checked by scripts: keep it). */
export function answerJson(answer: Answer): string {
  return JSON.stringify({
    query: answer.query,
    answered: answer.answered,
    results: answer.results.map(({ source, lines, quote, score }) => ({ source, lines, quote, score })),
    tookMs: answer.tookMs,
  });
}

await runCli(async (config) => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    json: { type: 'boolean' },
    top: { type: 'string' },
    corpus: { type: 'string' },
    index: { type: 'string' },
    file: { type: 'string' },
  });
  const top = intFlag('top', values.top, 3, 1, MAX_TOP);
  let questions: string[];
  if (values.file !== undefined) {
    if (positionals.length) throw new UsageError('give either --file or a question, not both');
    const text = await fs.readFile(values.file, 'utf8').catch(() => {
      throw new UsageError(`cannot read --file ${values.file}`);
    });
    questions = text.split(/\r?\n/).filter((line) => line.trim());
  } else {
    if (positionals.length === 0) throw new UsageError('usage: npm run -s ask -- [--json] [--top N] [--corpus DIR] [--index DIR] "question"');
    questions = [positionals.join(' ')];
  }
  // Check a single question before touching the index, so bad input fails fast.
  const single = values.file === undefined;
  if (single) parseQuery(questions[0]!, new Analyzer());

  const logger = cliLogger(config);
  const { corpusDir, indexDir } = resolveLocation(config, values);
  let index: VerbatimIndex | undefined;
  const getIndex = async () => (index ??= (await openIndex({ corpusDir, indexDir, logger })).index);

  let failures = 0;
  for (const question of questions) {
    try {
      const answer = ask(await getIndex(), question, { top });
      process.stdout.write((values.json ? answerJson(answer) : renderAnswerText(answer, { color: process.stdout.isTTY === true })) + '\n');
    } catch (error) {
      if (!(error instanceof QueryError) || single) throw error;
      failures++;
      const line = values.json
        ? JSON.stringify({ query: question.trim(), answered: false, results: [], error: error.message })
        : `verbatim: ${error.message}`;
      process.stdout.write(line + '\n');
    }
  }
  return failures ? 1 : 0;
});
