/**
 * `npm run -s reindex -- [--corpus DIR] [--index DIR] [--full]`: sync the index with the corpus
 * (after `git pull --ff-only` in it when `CORPUS_GIT_PULL=true`).
 */
import { reindex, resolveLocation } from '../library/indexer.ts';
import { progressBar, reindexReportText } from '../terminal/render.ts';
import { checkLocation } from '../library/storage-check.ts';
import { cliLogger, parseCliArgs, runCli, UsageError } from './run.ts';

await runCli(async (config) => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    corpus: { type: 'string' },
    index: { type: 'string' },
    full: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const location = resolveLocation(config, values);
  await checkLocation(location, values);
  const tty = process.stderr.isTTY === true;
  const { report } = await reindex({
    ...location,
    full: values.full ?? false,
    gitPull: config.corpusGitPull,
    logger: cliLogger(config),
    onProgress: tty ? (progress) => process.stderr.write(`\r${progressBar(progress)}\x1b[K`) : undefined,
  });
  if (tty) process.stderr.write('\r\x1b[K');
  process.stdout.write(reindexReportText(report) + '\n');
});
