/**
 * End to end: /reindex on the real bot through the local Discord — refused without
 * permission, allowed by the moderator role and by Manage Server (private progress, then the
 * diff in the same message), questions answered from the old index meanwhile, and one
 * reindex at a time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalInteraction, StoredMessage } from '../../src/local-discord/index.ts';
import { expectNoViolations, plain, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const finished = (m: StoredMessage) => m.embeds.length > 0 || /already running/.test(m.content);

/** The reindex's last word: its report, or that another one is running. */
async function outcome(handle: LocalInteraction): Promise<StoredMessage> {
  const ack = await handle.waitForAck();
  if (ack.type === 4) return ack.message!;
  return handle.waitForEdit(finished, 20_000);
}

describe('/reindex against the local Discord', () => {
  it('is refused to a member without Manage Server or a moderator role, and nothing is rebuilt', async () => {
    const { ld, bot, logs } = h;
    const indexBefore = bot.ctx.library.index;
    const builtAt = bot.ctx.library.manifest.builtAt;
    const reply = await ld.slashCommand(ld.members.alice, 'reindex', { full: true }).waitForReply();
    expect(reply.type).toBe(4);
    expect(reply.ephemeral).toBe(true);
    expect(reply.message!.content).toMatch(/^Only moderators/);
    expect(bot.ctx.library.reindexing).toBe(false);
    expect(bot.ctx.library.index).toBe(indexBefore);
    expect(bot.ctx.library.manifest.builtAt).toBe(builtAt);
    expect(logs.find((l) => l.audit === 'reindex' && l.userId === ld.members.alice.id)).toMatchObject({ result: 'refused: no permission' });
    expectNoViolations(ld);
  });

  it('runs for the moderator role: private progress, then the diff; others are answered meanwhile', async () => {
    const { ld, bot, corpusDir } = h;
    mkdirSync(path.join(corpusDir, 'notes'));
    writeFileSync(path.join(corpusDir, 'notes', 'owls.md'), '# Owls\n\nThe barn owl hunts voles at night over the meadow near Wexcombe.\n');
    const handle = ld.slashCommand(ld.members.mod, 'reindex');
    const ack = await handle.waitForAck();
    expect(ack.type).toBe(5);
    expect(ack.ephemeral).toBe(true);

    // Bob keeps asking until the report is in; the answers come from the old index.
    const busyWhenAnswered: boolean[] = [];
    const deadline = Date.now() + 15_000;
    while (!handle.edits().some(finished) && Date.now() < deadline) {
      const answer = await ld.slashCommand(ld.members.bob, 'ask', { question: "who is Putin's chef?" }).waitForReply();
      busyWhenAnswered.push(bot.ctx.library.reindexing);
      expect(answer.message!.embeds[0]!.description).toMatch(/Prigozhin/);
    }
    expect(busyWhenAnswered).toContain(true);

    const edits = handle.edits();
    expect(edits[0]!.content).toMatch(/^⏳ /);
    const report = edits.at(-1)!;
    expect(report.flags & 64).toBe(64);
    expect(report.content).toBe('');
    expect(report.embeds[0]!.title).toMatch(/^Reindex done in \d+ ms$/);
    expect(plain(report.embeds[0]!.description)).toMatch(/^Files added \*\*1\*\* \(notes\/owls\.md\)\nFiles changed \*\*0\*\*\nFiles removed \*\*0\*\*\nFiles unchanged \*\*5\*\*\nPassages added \*\*\d+\*\*, removed \*\*0\*\*$/);
    expect(report.embeds[0]!.footer?.text).toMatch(/^6 files · \d+ passages$/);
    // The progress message became the report: nothing else was posted.
    expect(handle.followUps()).toEqual([]);
    expect(handle.original()!.id).toBe(report.id);

    const owls = await ld.slashCommand(ld.members.bob, 'ask', { question: 'What does the barn owl hunt at night?' }).waitForReply();
    expect(plain(owls.message!.embeds[0]!.description)).toMatch(/voles[\s\S]*notes\/owls\.md · L3/);
    expectNoViolations(ld);
  });

  it('runs a full rebuild for a Manage Server member', async () => {
    const { ld, bot } = h;
    const handle = ld.slashCommand(ld.members.admin, 'reindex', { full: true });
    const report = await outcome(handle);
    expect(handle.edits()[0]!.content).toMatch(/^⏳ /);
    expect(report.embeds[0]!.title).toMatch(/^Full rebuild done in \d+ ms$/);
    expect(report.embeds[0]!.footer?.text).toMatch(/^6 files · /);
    expect(report.flags & 64).toBe(64);
    const stats = await ld.slashCommand(ld.members.alice, 'stats').waitForReply();
    const last = stats.message!.embeds[0]!.fields!.find((f) => f.name === 'Last reindex')!.value;
    expect(last).toContain(`admin \\(${ld.members.admin.id}\\)`);
    expect(bot.ctx.library.reindexing).toBe(false);
    expectNoViolations(ld);
  });

  it('runs one at a time: of two at once, the second is told one is running', async () => {
    const { ld } = h;
    const first = ld.slashCommand(ld.members.mod, 'reindex', { full: true });
    const second = ld.slashCommand(ld.members.admin, 'reindex');
    const outcomes = await Promise.all([outcome(first), outcome(second)]);
    const reports = outcomes.filter((m) => m.embeds.length > 0);
    const told = outcomes.filter((m) => /already running/.test(m.content));
    expect(reports).toHaveLength(1);
    expect(told).toHaveLength(1);
    expect(told[0]!.flags & 64).toBe(64);
    expectNoViolations(ld);
  });
});
