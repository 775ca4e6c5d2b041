/**
 * The local prompt that `npm start` runs without DISCORD_TOKEN (zero configuration).
 * Type a question to see quoted answers; `/help`, `/reindex [full]`, `/quit`.
 * Reads plain lines from a pipe too, answering each and exiting at end of input.
 */
import readline from 'node:readline';
import { ask } from '../answer.ts';
import { openIndex, reindex } from '../indexer.ts';
import { QueryError } from '../query.ts';
import { progressReporter, renderAnswerText, renderReindexReport } from '../render-terminal.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { VerbatimIndex } from '../search-index.ts';
import { checkLocation } from '../storage-check.ts';
import { pathToFileURL } from 'node:url';
import { cliLogger, runCli } from './run.ts';

const HELP = [
  'Ask a question in plain words; answers are verbatim quotes with file:line references.',
  'Query syntax: "exact phrase" · -word (exclude) · file:NAME (one file only)',
  'Commands: /help · /reindex (only changed files) · /reindex full · /quit',
].join('\n');

/** Opens the index, showing the build's progress on stderr when it has to be built. */
async function openIndexShowingProgress(options: { corpusDir: string; indexDir: string; logger: Logger }): Promise<VerbatimIndex> {
  const progress = progressReporter(process.stderr);
  try {
    return (await openIndex({ ...options, onProgress: progress.update })).index;
  } finally {
    progress.finish();
  }
}

export async function runPrompt(config: Config): Promise<void> {
  const logger = cliLogger(config);
  const location = { corpusDir: config.corpusDir, indexDir: config.indexDir };
  await checkLocation(location);
  let index = await openIndexShowingProgress({ ...location, logger });
  const color = process.stdout.isTTY === true;
  const out = (text: string) => process.stdout.write(text + '\n');

  out(`Verbatim — ${index.fileCount} files, ${index.passageCount} passages from ${config.corpusDir}`);
  out('Type a question, /help for help, /quit to leave.');
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  rl.setPrompt('verbatim> ');
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line === '/help') out(HELP);
    else if (line === '/reindex' || line === '/reindex full') {
      const progress = progressReporter(process.stderr);
      try {
        const result = await reindex({ ...location, full: line.endsWith('full'), logger, onProgress: progress.update });
        index = result.index;
        out(renderReindexReport(result.report));
      } finally {
        progress.finish();
      }
    } else if (line.startsWith('/')) out(`Unknown command ${line.split(' ')[0]}. ${HELP.split('\n')[2]}`);
    else if (line) {
      try {
        out(renderAnswerText(ask(index, line), { color }));
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        out(error.message);
      }
    }
    rl.prompt();
  }
  rl.close();
  out('Bye.');
}

// `npm run prompt`: the same prompt without Discord at all.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runCli(runPrompt);
}
