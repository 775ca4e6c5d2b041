/**
 * End to end, docs that live in Git (local repositories in temp folders, no network), the
 * real bot against the local Discord:
 * - with `SOURCE_BASE_URL=…/blob/{commit}`, references link to the commit the index was built from;
 * - with `CORPUS_GIT_PULL=true`, /reindex pulls first and reports the commit range and the
 *   files changed; a pull that cannot fast-forward is one clear line, and the old index keeps
 *   serving;
 * - with `WATCH_CORPUS=true`, a file changed in the folder is answered from shortly after,
 *   without anyone asking for a reindex.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalInteraction, StoredMessage } from '../../src/local-discord/index.ts';
import { git, gitCorpus, pushUpstream } from '../helpers.ts';
import { expectNoViolations, plain, startHarness, type Harness } from './harness.ts';

const BASE = 'https://github.com/example/docs/blob/{commit}';

const finished = (m: StoredMessage) => m.embeds.length > 0 || /^Could not|already running/u.test(m.content);

async function outcome(handle: LocalInteraction): Promise<StoredMessage> {
  const ack = await handle.waitForAck();
  if (ack.type === 4) return ack.message!;
  return handle.waitForEdit(finished, 20_000);
}


describe('CORPUS_GIT_PULL and commit-pinned links', () => {
  let h: Harness;
  let repo: ReturnType<typeof gitCorpus>;
  beforeAll(async () => {
    h = await startHarness({
      prepare: (corpusDir) => (repo = gitCorpus(corpusDir)),
      settings: { SOURCE_BASE_URL: BASE, CORPUS_GIT_PULL: 'true' },
    });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('references link to the lines at the commit the index was built from', async () => {
    const { ld } = h;
    const reply = await ld.slashCommand(ld.members.alice, 'ask', { question: "Who is Putin's chef?" }).waitForReply();
    expect(reply.message!.embeds[0]!.description).toContain(`(https://github.com/example/docs/blob/${repo.commit()}/000_0c2a6b0584480c89.txt#L17)`);
    expectNoViolations(ld);
  });

  it('/reindex pulls, reports the commit range and the files, and the new file is answered at the new commit', async () => {
    const { ld } = h;
    const before = repo.commit();
    const after = pushUpstream(repo.upstream, 'owls.md', '# Owls\n\nThe barn owl hunts voles at night over the meadow near Wexcombe.\n');
    const report = await outcome(ld.slashCommand(ld.members.mod, 'reindex'));
    const description = plain(report.embeds[0]!.description);
    expect(description).toContain(`Git: \`${before.slice(0, 7)}\` → \`${after.slice(0, 7)}\`, **1** file changed (owls.md)`);
    expect(description).toMatch(/Files added \*\*1\*\* \(owls\.md\)/u);

    const answer = await ld.slashCommand(ld.members.alice, 'ask', { question: 'where does the barn owl hunt voles?' }).waitForReply();
    expect(answer.message!.embeds[0]!.description).toContain(`(https://github.com/example/docs/blob/${after}/owls.md?plain=1#L3)`);
    expectNoViolations(ld);
  });

  it('a pull that cannot fast-forward is one clear line, and the old index keeps serving', async () => {
    const { ld, bot, corpusDir } = h;
    const served = bot.ctx.library.index;
    pushUpstream(repo.upstream, 'owls.md', '# Owls\n\nUpstream says the barn owl hunts mice.\n');
    writeFileSync(path.join(corpusDir, 'owls.md'), '# Owls\n\nHere the barn owl hunts shrews.\n');
    git(corpusDir, 'add', '-A');
    git(corpusDir, 'commit', '--quiet', '-m', 'local edit');
    const reply = await outcome(ld.slashCommand(ld.members.mod, 'reindex'));
    expect(reply.content).toMatch(/^Could not update the documents from Git: git pull --ff-only failed: [^\n]+\nQuestions are still answered from the current index\.$/u);
    expect(bot.ctx.library.index).toBe(served);
    const answer = await ld.slashCommand(ld.members.alice, 'ask', { question: 'where does the barn owl hunt voles?' }).waitForReply();
    expect(answer.message!.embeds[0]!.description).toMatch(/voles/u);
    expectNoViolations(ld);
  });
});

describe('WATCH_CORPUS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { WATCH_CORPUS: 'true' } });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('reindexes by itself after files change, once they are quiet, and logs it', async () => {
    const { ld, bot, corpusDir, logs } = h;
    expect(bot.watcher).toBeDefined();
    writeFileSync(path.join(corpusDir, 'herons.md'), '# Herons\n\nThe grey heron waits motionless in the shallows of the Lenbrook.\n');
    writeFileSync(path.join(corpusDir, 'kites.md'), '# Kites\n\nRed kites circle above the Lenbrook valley.\n');
    // Wait for the watcher to see the change and finish its reindex.
    const deadline = Date.now() + 20_000;
    while (!bot.ctx.library.index.file('kites.md') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await bot.watcher!.idle();
    expect(bot.ctx.library.index.file('herons.md')).toBeDefined();
    const answer = await ld.slashCommand(ld.members.alice, 'ask', { question: 'where does the grey heron wait?' }).waitForReply();
    expect(plain(answer.message!.embeds[0]!.description)).toContain('herons.md');
    const done = logs.filter((line) => line.by === 'corpus watcher' && line.result === 'ok');
    // Two files written together: one reindex picked both up.
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ added: 2 });
    expectNoViolations(ld);
  });
});
