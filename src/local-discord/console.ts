/**
 * `npm start` without DISCORD_TOKEN: a local Discord-compatible server, the real bot
 * connected to it, and a terminal prompt acting as a member in a thread. A plain line is
 * a message that mentions the bot; `/ask question: …` runs a command; a number presses a
 * button; `/as mod` switches member; `/quit` leaves.
 */
import readline from 'node:readline';
import type { Config } from '../config.ts';
import { createBot } from '../discord/bot.ts';
import { commandDefinitions, loadCommands } from '../discord/registry.ts';
import { createLogger } from '../logger.ts';
import { messageToText, type ButtonRef } from './console-text.ts';
import { startLocalDiscord, type InteractionHandle, type LocalDiscord, type LocalMember, type StoredMessage } from './index.ts';

const OPTION_TYPES = { string: 3, integer: 4, boolean: 5 } as const;

export interface CommandShape {
  name: string;
  options: Array<{ name: string; type: number }>;
}

/**
 * `/ask question: who is Putin's chef? results: 2` → `{ name: 'ask', options: { question: "who is Putin's chef?", results: 2 } }`.
 * Option names are those the command defines; values run to the next `name:`.
 */
export function parseSlashLine(line: string, commands: readonly CommandShape[]): { name: string; options: Record<string, string | number | boolean> } | { error: string } {
  const match = /^\/(\S+)\s*(.*)$/s.exec(line.trim());
  if (!match) return { error: 'A command starts with /' };
  const command = commands.find((c) => c.name === match[1]);
  if (!command) return { error: `Unknown command /${match[1]}. Commands: ${commands.map((c) => '/' + c.name).join(' ')}` };
  const rest = match[2] ?? '';
  const names = command.options.map((o) => o.name).join('|');
  const options: Record<string, string | number | boolean> = {};
  if (!names) return { name: command.name, options };
  const marker = new RegExp(`(?:^|\\s)(${names}):`, 'g');
  const found = [...rest.matchAll(marker)];
  if (rest.trim() && (found.length === 0 || rest.slice(0, found[0]!.index).trim())) {
    return { error: `Give options as name: value — /${command.name} ${command.options.map((o) => `${o.name}: …`).join(' ')}` };
  }
  found.forEach((m, i) => {
    const value = rest.slice(m.index + m[0].length, found[i + 1]?.index ?? rest.length).trim();
    const type = command.options.find((o) => o.name === m[1])!.type;
    options[m[1]!] = type === OPTION_TYPES.integer ? Number(value) : type === OPTION_TYPES.boolean ? /^(true|yes|1)$/i.test(value) : value;
  });
  return { name: command.name, options };
}

export async function runLocalConsole(config: Config): Promise<void> {
  const color = process.stdout.isTTY === true;
  const out = (text: string) => process.stdout.write(text + '\n');
  const ld = await startLocalDiscord();
  out(`Local Discord at ${ld.url} (no DISCORD_TOKEN set). To connect to a real server, put DISCORD_TOKEN in .env (see .env.example) and run npm start again.`);
  const logger = createLogger({ level: config.logLevel ?? 'warn', pretty: true });
  // The local server's moderator role may /reindex, so `/as mod` can try it.
  const bot = await createBot(
    { ...config, discordToken: ld.token, discordApiUrl: ld.apiUrl, moderatorRoleIds: [...config.moderatorRoleIds, ld.roles.moderator] },
    logger,
  );
  await bot.start();
  const commands: CommandShape[] = commandDefinitions(await loadCommands()).map((c) => ({
    name: c.name,
    options: (c.options ?? []).map((o) => ({ name: o.name, type: o.type })),
  }));

  out(`Verbatim is connected with ${bot.ctx.index.fileCount} files and ${bot.ctx.index.passageCount} passages. You are alice in a thread of #general.`);
  out('Type a question (sent as a message mentioning the bot), a command like /ask question: who is Putin\'s chef?, a button number, /as mod (or alice, bob, admin), or /quit.');

  const people: Record<string, LocalMember> = { ...ld.members };
  let me: LocalMember = ld.members.alice;
  let buttons: Array<ButtonRef & { message: StoredMessage }> = [];
  const channelId = ld.channels.thread;

  const show = (message: StoredMessage) => {
    const rendered = messageToText(message, { color }, buttons.length + 1);
    buttons.push(...rendered.buttons.map((b) => ({ ...b, message })));
    out(rendered.text);
  };
  const showInteraction = async (handle: InteractionHandle) => {
    const reply = await handle.waitForReply(30_000);
    if (reply.choices) out(reply.choices.map((c) => `  ${c.name}`).join('\n'));
    else if (reply.message) show(reply.message);
    // A deferred reply (reindex) keeps being edited: print each version until it settles.
    if (reply.type === 5) await followEdits(handle, show);
    for (const followUp of handle.followUps()) show(followUp);
  };

  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  rl.setPrompt(`${me.username}> `);
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    try {
      if (line === '/quit' || line === '/exit') break;
      if (/^\d+$/.test(line)) {
        const button = buttons[Number(line) - 1];
        if (!button) out('No button with that number.');
        else if (button.disabled) out(`${button.label} is disabled.`);
        else {
          buttons = [];
          await showInteraction(ld.pressButton(me, button.message, button.customId));
        }
      } else if (line.startsWith('/as ')) {
        const who = people[line.slice(4).trim()];
        if (who) me = who;
        out(who ? `You are now ${who.username}.` : `Members: ${Object.keys(people).join(', ')}`);
        rl.setPrompt(`${me.username}> `);
      } else if (line.startsWith('/')) {
        const parsed = parseSlashLine(line, commands);
        if ('error' in parsed) out(parsed.error);
        else {
          buttons = [];
          await showInteraction(ld.slashCommand(me, parsed.name, parsed.options, { channelId }));
        }
      } else if (line) {
        buttons = [];
        const sent = ld.sendMessage(me, channelId, line, { mentionBot: true });
        show(await ld.waitForMessage(channelId, (m) => m.author.id === ld.botUserId && (m.message_reference as { message_id?: string } | undefined)?.message_id === sent.id, 30_000));
      }
    } catch (error) {
      out(`(no answer: ${(error as Error).message})`);
    }
    rl.prompt();
  }
  rl.close();
  await bot.stop();
  await ld.close();
  out('Bye.');
}

async function followEdits(handle: InteractionHandle, show: (message: StoredMessage) => void): Promise<void> {
  let shown = handle.edits().length;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const edits = handle.edits();
    for (; shown < edits.length; shown++) show(edits[shown]!);
    if (edits.at(-1)?.embeds.length) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
