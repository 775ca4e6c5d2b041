/**
 * `npm run -s ask -- [--json] [--top N] [--corpus DIR] [--index DIR] [--file F] "question"`
 * One question (or one per line of F) → quoted answers. `--json` prints one line per question.
 * A question word may start with `-` (`-putin` excludes a word); one starting with `--`
 * goes after `--`.
 */
import { promises as fs } from 'node:fs';
import { ask, type Answer } from '../core/answer.ts';
import { DEFAULT_TOP, MAX_TOP } from '../core/options.ts';
import { Analyzer } from '../core/analyzer.ts';
import { openIndex, resolveLocation } from '../library/indexer.ts';
import { parseQuery, QueryError } from '../core/query.ts';
import { renderAnswerText, withProgress } from '../terminal/render.ts';
import type { VerbatimIndex } from '../engine/verbatim-index.ts';
import { checkLocation } from '../library/storage-check.ts';
import { cliLogger, intFlag, parseCliArgs, runCli, UsageError } from './run.ts';

/** The stable `--json` shape (checked by scripts: keep it). */
export function answerJson(answer: Answer): string {
  return JSON.stringify({
    query: answer.query,
    answered: answer.answered,
    ...(answer.corrected ? { corrected: answer.corrected } : {}),
    ...(answer.unmatchedPhrases ? { unmatchedPhrases: answer.unmatchedPhrases } : {}),
    ...(answer.unansweredPhrases ? { unansweredPhrases: answer.unansweredPhrases } : {}),
    ...(answer.lacking ? { lacking: answer.lacking } : {}),
    results: answer.results.map(({ source, lines, quote, score, section, code, tableHeader, example }) => ({
      source,
      lines,
      ...(section !== undefined ? { section } : {}),
      ...(tableHeader ? { tableHeader } : {}),
      quote,
      ...(code !== undefined ? { code } : {}),
      ...(example ? { example: { lines: example.lines, quote: example.quote, code: example.code } } : {}),
      score,
    })),
    tookMs: answer.tookMs,
  });
}

const USAGE =
  'usage: npm run -s ask -- [--json] [--top N] [--corpus DIR] [--index DIR] [--file F] [--] "question" (-word excludes a word; put -- before a question starting with --)';

function parseAskArgs(argv: string[]) {
  try {
    return parseCliArgs(argv, {
      json: { type: 'boolean' },
      top: { type: 'string' },
      corpus: { type: 'string' },
      index: { type: 'string' },
      file: { type: 'string' },
    });
  } catch (error) {
    // `--putin` is taken for a flag: say how to ask it.
    if (error instanceof UsageError && error.message.startsWith('Unknown option')) {
      throw new UsageError(`${error.message} (a question starting with -- goes after --)`);
    }
    throw error;
  }
}

await runCli(async (config) => {
  const { values, positionals } = parseAskArgs(process.argv.slice(2));
  const top = intFlag('top', values.top, DEFAULT_TOP, 1, MAX_TOP);
  let questions: string[];
  if (values.file !== undefined) {
    if (positionals.length) throw new UsageError('give either --file or a question, not both');
    const text = await fs.readFile(values.file, 'utf8').catch(() => {
      throw new UsageError(`cannot read --file ${values.file}`);
    });
    questions = text.split(/\r?\n/).filter((line) => line.trim());
  } else {
    if (positionals.length === 0) throw new UsageError(USAGE);
    questions = [positionals.join(' ')];
  }
  // Check a single question before touching the index, so bad input fails fast.
  const single = values.file === undefined;
  if (single) parseQuery(questions[0]!, new Analyzer());

  const logger = cliLogger(config);
  const { corpusDir, indexDir } = resolveLocation(config, values);
  await checkLocation({ corpusDir, indexDir }, values);
  let index: VerbatimIndex | undefined;
  // Progress is shown only when the index has to be built; a load reports none.
  const getIndex = async () => (index ??= (await withProgress(process.stderr, (onProgress) => openIndex({ corpusDir, indexDir, logger, onProgress }))).index);

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
