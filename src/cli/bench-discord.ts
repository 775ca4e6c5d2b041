/**
 * `npm run -s bench:discord -- [--interactions 1000] [--passages N] [--questions FILE] [--spec openapi.json] [--json]`
 * (`npm run bench:discord` passes `--questions tests/fixtures/questions.json` and `--spec
 * ../shared/discord-api-spec/openapi.json`: the bundled corpus's question set, and the local
 * Discord checks every request body against Discord's OpenAPI spec, as before)
 * Starts the local Discord and the real bot (`src/cli/start.ts`) as a separate process
 * connected to it, sends the interactions (mixed /ask questions) as fast as the gateway
 * takes them, and reports how many were acknowledged exactly once, the latency from
 * dispatch to the acknowledgement (Discord's deadline is 3 s) and to the answer itself (the
 * reply, or the edit of a deferred reply). Counting waits for every answer and then for the
 * bot to stop, so a duplicate acknowledgement sent late (a REST retry after a timeout while
 * the bot was saturated) is counted too.
 *
 * With `--questions FILE` the bot answers from the bundled corpus with that set; `--passages N`
 * gives it the synthetic corpus of N passages that `npm run bench` uses (same generator and
 * seed) and that benchmark's questions. The index is built before the bot starts, so the
 * bot loads it as a restarted bot would.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { childEnvironment, DEFAULT_CORPUS_DIR, PROJECT_ROOT } from '../config.ts';
import { generatePassages, generateQueries, groupIntoFiles, loadSciFact, writeCorpus } from '../bench/synthetic-corpus.ts';
import { reindex } from '../library/indexer.ts';
import { localBotSettings } from '../local-discord/bot-settings.ts';
import { startLocalDiscord, type InteractionHandle } from '../local-discord/index.ts';
import { intFlag, parseCliArgs, runCli, UsageError } from './run.ts';

const DEADLINE_MS = 3000;
/** The synthetic corpus's seed: the same as `npm run bench`'s default, so the two measure one corpus. */
const SEED = 42;
/** How long after its dispatch an answer may come before it counts as unanswered: far past Discord's deadline. */
const ANSWER_TIMEOUT_MS = 60_000;

/** The questions of a question set (`{ onTopic: [{ question }], offTopic: [question] }`). */
function questions(file: string): string[] {
  let fixture: { onTopic?: Array<{ question: string }>; offTopic?: string[] };
  try {
    fixture = JSON.parse(readFileSync(file, 'utf8')) as typeof fixture;
  } catch (error) {
    throw new UsageError(`--questions ${file}: ${(error as Error).message}`);
  }
  const list = [...(fixture.onTopic ?? []).map((q) => q.question), ...(fixture.offTopic ?? [])].filter((q) => typeof q === 'string' && q.trim());
  if (!list.length) throw new UsageError(`--questions ${file}: no questions (expected { "onTopic": [{ "question" }], "offTopic": [] })`);
  return list;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

type BenchResult = ReturnType<typeof figures>;

/** Acknowledgements (exactly once, late, duplicated) and latencies, from what the local Discord recorded. */
function figures(handles: readonly InteractionHandle[], answeredAt: ReadonlyArray<number | undefined>, wallMs: number, violations: number) {
  const latencies: number[] = [];
  let exactlyOnce = 0;
  let unanswered = 0;
  let duplicated = 0;
  for (const handle of handles) {
    if (handle.callbacks.length === 0) unanswered++;
    else {
      if (handle.callbacks.length === 1) exactlyOnce++;
      else duplicated++;
      latencies.push(handle.callbacks[0]!.at - handle.dispatchedAt);
    }
  }
  latencies.sort((a, b) => a - b);
  const answers = handles.flatMap((h, i) => (answeredAt[i] === undefined ? [] : [answeredAt[i]! - h.dispatchedAt])).sort((a, b) => a - b);
  const ms = (value: number) => Math.round(value * 10) / 10;
  return {
    interactions: handles.length,
    answeredExactlyOnce: exactlyOnce,
    unanswered,
    duplicated,
    overDeadline: latencies.filter((t) => t > DEADLINE_MS).length,
    p50Ms: ms(percentile(latencies, 50)),
    p99Ms: ms(percentile(latencies, 99)),
    maxMs: ms(latencies.at(-1) ?? NaN),
    deferred: handles.filter((h) => h.callbacks[0]?.type === 5).length,
    answered: answers.length,
    answerP50Ms: ms(percentile(answers, 50)),
    answerP99Ms: ms(percentile(answers, 99)),
    answerMaxMs: ms(answers.at(-1) ?? NaN),
    answeredOverDeadline: answers.filter((t) => t > DEADLINE_MS).length,
    wallMs: Math.round(wallMs),
    violations,
  };
}

function summary(result: BenchResult, synthetic: number | undefined): string {
  return [
    `${result.interactions} /ask interactions over the local gateway, bot in its own process, ${synthetic === undefined ? 'bundled corpus' : `${synthetic} synthetic passages`}`,
    `  acknowledged exactly once ${result.answeredExactlyOnce}`,
    `  unanswered / duplicated   ${result.unanswered} / ${result.duplicated}`,
    `  dispatch → acknowledgement p50 ${result.p50Ms} ms · p99 ${result.p99Ms} ms · max ${result.maxMs} ms`,
    `  acknowledged after 3 s    ${result.overDeadline} (${result.deferred} deferred first)`,
    `  dispatch → answer         p50 ${result.answerP50Ms} ms · p99 ${result.answerP99Ms} ms · max ${result.answerMaxMs} ms (${result.answered} answered)`,
    `  answered after 3 s        ${result.answeredOverDeadline}`,
    `  wall time                 ${result.wallMs} ms`,
    `  spec/limit violations     ${result.violations}`,
  ].join('\n');
}

/**
 * The bot's corpus in `location` and the questions to ask: the bundled corpus with a
 * question set, or the synthetic corpus of `npm run bench` with its questions (indexed now,
 * so the bot loads it as a restarted bot would).
 */
async function prepareCorpus(location: { corpusDir: string; indexDir: string }, questionFile: string | undefined, synthetic: number | undefined, count: number, log: (text: string) => void): Promise<string[]> {
  if (synthetic === undefined) {
    cpSync(DEFAULT_CORPUS_DIR, location.corpusDir, { recursive: true });
    return questionFile === undefined ? [] : questions(questionFile);
  }
  log(`writing a synthetic corpus of ${synthetic} passages (seed ${SEED})…`);
  const scifact = loadSciFact();
  const passages = generatePassages(scifact.sentences, synthetic, SEED);
  writeCorpus(location.corpusDir, groupIntoFiles(passages.length), passages);
  log('building its index…');
  await reindex({ ...location, full: true });
  return generateQueries(scifact.claims, passages, Math.min(count, 1000), SEED);
}

await runCli(async () => {
  const { values } = parseCliArgs(process.argv.slice(2), { interactions: { type: 'string' }, passages: { type: 'string' }, questions: { type: 'string' }, spec: { type: 'string' }, json: { type: 'boolean' } });
  const count = intFlag('interactions', values.interactions, 1000, 1, 100_000);
  const synthetic = values.passages === undefined ? undefined : intFlag('passages', values.passages, 0, 100, 2_000_000);
  const log = (text: string) => process.stderr.write(text + '\n');

  const work = mkdtempSync(path.join(os.tmpdir(), 'verbatim-bench-discord-'));
  const location = { corpusDir: path.join(work, 'corpus'), indexDir: path.join(work, 'index') };
  if (synthetic === undefined && values.questions === undefined) throw new UsageError('give --questions FILE (a question set) or --passages N (the synthetic corpus)');
  const list = await prepareCorpus(location, values.questions, synthetic, count, log);
  const ld = await startLocalDiscord(values.spec === undefined ? {} : { spec: values.spec });
  const bot = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', 'start.ts')], {
    cwd: PROJECT_ROOT,
    env: childEnvironment(localBotSettings(ld, location, 'warn')),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
  try {
    log('waiting for the bot to connect…');
    await ld.waitForBot(synthetic === undefined ? 60_000 : 600_000);
    const members = [ld.members.alice, ld.members.bob, ld.members.mod, ld.members.admin];
    log(`sending ${count} /ask interactions…`);
    const started = performance.now();
    const handles: InteractionHandle[] = [];
    for (let i = 0; i < count; i++) {
      handles.push(ld.slashCommand(members[i % members.length]!, 'ask', { question: list[i % list.length]! }, { channelId: ld.channels.general }));
      // Yield now and then: this process is also the server that records the callbacks, and
      // must not hold them back while it is still sending (that would be measured as bot latency).
      if (i % 10 === 9) await nextTurn();
    }
    const answeredAt = await Promise.all(
      handles.map((h) =>
        h.waitForReply(ANSWER_TIMEOUT_MS).then(
          () => performance.now(),
          () => undefined,
        ),
      ),
    );
    const wallMs = performance.now() - started;
    // Stop the bot before counting: it finishes what is in flight, retries included.
    log('all answered; stopping the bot…');
    bot.kill('SIGTERM');
    await exited;

    const result = figures(handles, answeredAt, wallMs, ld.violations.length);
    process.stdout.write((values.json ? JSON.stringify(result) : summary(result, synthetic)) + '\n');
    return result.answeredExactlyOnce === count && result.answered === count && result.violations === 0 ? 0 : 1;
  } finally {
    if (bot.exitCode === null) bot.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) log(`bot exited with code ${code}`);
    await ld.close();
    rmSync(work, { recursive: true, force: true });
  }
});
