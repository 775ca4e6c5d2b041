/**
 * The local prompt that `npm start` runs without DISCORD_TOKEN (zero configuration).
 * Type a question to see quoted answers; `/help`, `/reindex [full]`, `/quit`.
 * Reads plain lines from a pipe too, answering each and exiting at end of input.
 */
import readline from 'node:readline';
import { messagesOf } from '../terminal/pasted-lines.ts';
import { BackgroundReindexer } from '../library/worker/background-reindex.ts';
import { VerbatimError } from '../core/errors.ts';
import { openIndex } from '../library/indexer.ts';
import { Library } from '../library/library.ts';
import { QueryError } from '../core/query.ts';
import { SearchThread } from '../library/worker/search-thread.ts';
import { renderAnswerText, reindexReportText, withProgress } from '../terminal/render.ts';
import type { Config } from '../config.ts';
import { checkLocation } from '../library/storage-check.ts';
import { pathToFileURL } from 'node:url';
import { cliLogger, runCli } from './run.ts';

const HELP = [
  'Ask a question in plain words; answers are verbatim quotes with file:line references.',
  'Query syntax: "exact phrase" · -word (exclude) · file:NAME (one file only)',
  'Commands: /help · /reindex (only changed files) · /reindex full · /quit',
].join('\n');

export async function runPrompt(config: Config): Promise<void> {
  const logger = cliLogger(config);
  const location = { corpusDir: config.corpusDir, indexDir: config.indexDir };
  await checkLocation(location);
  const opened = await withProgress(process.stderr, (onProgress) => openIndex({ ...location, logger, onProgress }));
  // The same owner of the served index as the bot: questions and reindexes go through it.
  const library = new Library(opened, new BackgroundReindexer(location, logger), new SearchThread({ logger }));
  await library.prepare();
  const color = process.stdout.isTTY === true;
  const out = (text: string) => process.stdout.write(text + '\n');

  out(`Verbatim — ${library.index.fileCount} files, ${library.index.passageCount} passages from ${config.corpusDir}`);
  out('Type a question, /help for help, /quit to leave.');
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  rl.setPrompt('verbatim> ');
  rl.prompt();
  for await (const line of messagesOf(rl, process.stdin.isTTY === true)) {
    if (line === '/quit' || line === '/exit') break;
    if (line === '/help') out(HELP);
    else if (line === '/reindex' || line === '/reindex full') {
      try {
        const report = await withProgress(process.stderr, (onProgress) => library.reindex({ full: line.endsWith('full'), requestedBy: 'prompt', onProgress }));
        out(reindexReportText(report));
      } catch (error) {
        // Another writer, a failed pull: say so; the index being served stays.
        if (!(error instanceof VerbatimError)) throw error;
        out(`${error.message} The current index keeps answering.`);
      }
    } else if (line.startsWith('/')) out(`Unknown command ${line.split(' ')[0]}. ${HELP.split('\n')[2]}`);
    else if (line) {
      try {
        out(renderAnswerText(await library.ask(line, {}), { color }));
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        out(error.message);
      }
    }
    rl.prompt();
  }
  rl.close();
  await library.close();
  out('Bye.');
}

// `npm run prompt`: the same prompt without Discord at all.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runCli(runPrompt);
}
