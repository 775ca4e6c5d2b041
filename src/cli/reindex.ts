/** `npm run -s reindex -- [--corpus DIR] [--index DIR] [--full]`: sync the index with the corpus. */
import { reindex, resolveLocation, type ReindexProgress } from '../indexer.ts';
import { renderReindexReport } from '../render-terminal.ts';
import { cliLogger, parseCliArgs, runCli, UsageError } from './run.ts';

/** A one-line progress bar redrawn in place (TTY only). */
export function progressBar({ phase, done, total }: ReindexProgress, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  return `${phase.padEnd(5)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

await runCli(async (config) => {
  const { values, positionals } = parseCliArgs(process.argv.slice(2), {
    corpus: { type: 'string' },
    index: { type: 'string' },
    full: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
  const tty = process.stderr.isTTY === true;
  const { report } = await reindex({
    ...resolveLocation(config, values),
    full: values.full ?? false,
    logger: cliLogger(config),
    onProgress: tty ? (progress) => process.stderr.write(`\r${progressBar(progress)}\x1b[K`) : undefined,
  });
  if (tty) process.stderr.write('\r\x1b[K');
  process.stdout.write(renderReindexReport(report) + '\n');
});
