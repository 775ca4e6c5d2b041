/**
 * End to end with the real programs as child processes: `deploy-commands` registers the
 * commands on the local Discord, `src/cli/start.ts` (what `npm start` runs) connects as the
 * bot and answers an /ask, and SIGTERM makes it finish, disconnect and exit 0.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.ts';
import { startLocalDiscord, type LocalDiscord } from '../../src/local-discord/index.ts';
import { DISCORD_SPEC } from '../helpers.ts';
import { expectNoViolations } from './harness.ts';

let ld: LocalDiscord;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'verbatim-e2e-cli-'));
  cpSync(DEFAULT_CORPUS_DIR, path.join(root, 'corpus'), { recursive: true });
  ld = await startLocalDiscord({ log: () => {}, spec: DISCORD_SPEC });
});
afterAll(async () => {
  await ld?.close();
  rmSync(root, { recursive: true, force: true });
});

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(DISCORD_|CORPUS_DIR|INDEX_DIR|LOG_LEVEL|COOLDOWN|MODERATOR_ROLE_IDS|SOURCE_BASE_URL)/.test(key)));
  return {
    ...clean,
    DISCORD_TOKEN: ld.token,
    DISCORD_API_URL: ld.apiUrl,
    CORPUS_DIR: path.join(root, 'corpus'),
    INDEX_DIR: path.join(root, 'index'),
    ...extra,
  };
}

function run(script: string, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', script)], {
    cwd: PROJECT_ROOT,
    env: env(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('the real entry points as child processes', () => {
  it('deploy-commands registers the commands in the guild', async () => {
    const deploy = run('deploy-commands.ts', { DISCORD_GUILD_ID: ld.guildId });
    expect(await deploy.exited).toBe(0);
    expect(deploy.output().stdout).toMatch(/^Registered 6 commands in guild \d+: \/ask \/search \/source \/stats \/reindex \/help\n$/);
    expect((ld.registeredCommands() as Array<{ name: string; guild_id?: string }>).map((c) => c.name).sort()).toEqual(['ask', 'help', 'reindex', 'search', 'source', 'stats']);
    expectNoViolations(ld);
  });

  it('npm start with DISCORD_TOKEN answers an /ask, and exits 0 on SIGTERM', async () => {
    const bot = run('start.ts', { LOG_LEVEL: 'info', COOLDOWN: '0' });
    try {
      await ld.waitForBot(30_000);
      const reply = await ld.slashCommand(ld.members.alice, 'ask', { question: 'Which Facebook VP of Ads tweeted about the Russian ads?' }).waitForReply(15_000);
      expect(reply.message!.embeds[0]!.description).toMatch(/Goldman/);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    }
    const { stderr } = bot.output();
    expect(stderr).toMatch(/"msg":"bot ready"/);
    expect(stderr).toMatch(/"msg":"bot stopped"/);
    expect(stderr).not.toContain(ld.token);
    // It closed its gateway session cleanly.
    expect(ld.gatewayLog.at(-1)).toMatch(/^disconnect 1000 /);
    expectNoViolations(ld);
  });
});

describe('npm start with zero configuration', () => {
  it('runs a local Discord, the real bot and a member prompt: questions, commands, buttons', async () => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(DISCORD_|CORPUS_DIR|INDEX_DIR|LOG_LEVEL|COOLDOWN|MODERATOR_ROLE_IDS|SOURCE_BASE_URL)/.test(key)));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'cli', 'start.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...clean, CORPUS_DIR: path.join(root, 'corpus'), INDEX_DIR: path.join(root, 'console-index') },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin.end(['Which filmmaker made a documentary series with Putin?', '2', '/ask question: Did China deploy interference efforts? results: 2', '/source file: ../../.env', '/as mod', '/reindex', '/quit', ''].join('\n'));
    expect(await exited).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^Local Discord at http:\/\/127\.0\.0\.1:\d+ \(no DISCORD_TOKEN set\)\. To connect to a real server, put DISCORD_TOKEN in \.env/);
    // The mention is answered in the thread, with a reference and buttons to press by number.
    expect(stdout).toMatch(/Oliver Stone/);
    expect(stdout).toMatch(/004_18fad831f6d1eeb5\.txt · L5/);
    expect(stdout).toMatch(/\[1\] More.*\[2\] Context/);
    // Button 2 (Context) shows the cited lines privately, numbered.
    expect(stdout).toMatch(/only you can see this[\s\S]*Context of the cited lines[\s\S]*\n┃ 5 {2}Award-winning filmmaker/);
    expect(stdout).toMatch(/China sought stability|chose not to/);
    expect(stdout).toMatch(/is not a file in the corpus/);
    expect(stdout).toMatch(/Reindex done in \d+ ms/);
    expect(stdout).toMatch(/Bye\.\n$/);
  });
});
