/**
 * `npm start` without DISCORD_TOKEN: a local Discord-compatible server, the real bot
 * connected to it, and a terminal prompt acting as a member in a thread. A plain line is
 * a message that mentions the bot; `/ask question: …` runs a command; a number presses a
 * button; `/as mod` switches member; `/quit` leaves.
 */
import type { Failure } from '../core/result.ts';
import readline from 'node:readline';
import { messagesOf } from '../terminal/pasted-lines.ts';
import type { Config } from '../config.ts';
import { createBot, type Bot } from '../discord/bot.ts';
import { commandDefinitions } from '../discord/registry.ts';
import { createLogger } from '../logger.ts';
import { withProgress } from '../terminal/render.ts';
import { messageToText, type ButtonRef } from './message-text.ts';
import { startLocalDiscord, type InteractionHandle, type LocalDiscord, type LocalMember, type StoredMessage } from '../local-discord/index.ts';

/** Discord's application command option types the console can type in. */
const OPTION_TYPES = { string: 3, integer: 4, boolean: 5, number: 10 } as const;

/** An option as a command's JSON definition declares it (the fields the console checks). */
export interface OptionShape {
  name: string;
  type: number;
  required?: boolean;
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  choices?: ReadonlyArray<{ name: string; value: string | number }>;
  autocomplete?: boolean;
}

/** A command as its JSON definition (`commandDefinitions`) declares it. */
export interface CommandShape {
  name: string;
  options?: readonly OptionShape[];
}

export type OptionValue = string | number | boolean;

/** The definitions as the console reads them: the same JSON `deploy-commands` registers. */
export function commandShapes(definitions: ReadonlyArray<{ name: string; options?: readonly unknown[] }>): CommandShape[] {
  return definitions.map((d) => ({ name: d.name, options: (d.options ?? []) as OptionShape[] }));
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;
const TRUE = /^(?:true|yes)$/i;
const FALSE = /^(?:false|no)$/i;
/** `name:` at the start of a text: an option the user meant to give. */
const OPTION_LIKE = /^([\w-]+):/;
/** `2 nope: 1`: what follows a one-word value, when it looks like another option. */
const TRAILING_OPTION = /^\S+\s+([\w-]+):/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One option's typed value, or what is wrong with it (one line, without the command name). */
function checkOption(option: OptionShape, value: string, known: string): { value: OptionValue } | Failure {
  const { name } = option;
  if (value === '') return { error: `${name}: needs a value` };
  const trailing = option.type !== OPTION_TYPES.string ? TRAILING_OPTION.exec(value) : null;
  if (trailing) return { error: `has no option "${trailing[1]}" (it has: ${known})` };
  if (option.choices?.length) {
    const choice = option.choices.find((c) => c.name.toLowerCase() === value.toLowerCase() || String(c.value).toLowerCase() === value.toLowerCase());
    if (!choice) return { error: `${name}: must be one of ${option.choices.map((c) => c.name).join(', ')} (got "${value}")` };
    return { value: choice.value };
  }
  switch (option.type) {
    case OPTION_TYPES.string: {
      if (option.min_length !== undefined && value.length < option.min_length) return { error: `${name}: at least ${option.min_length} characters (got ${value.length})` };
      if (option.max_length !== undefined && value.length > option.max_length) return { error: `${name}: at most ${option.max_length} characters (got ${value.length})` };
      return { value };
    }
    case OPTION_TYPES.integer:
    case OPTION_TYPES.number: {
      const integer = option.type === OPTION_TYPES.integer;
      const n = Number(value);
      if (!(integer ? INTEGER : DECIMAL).test(value) || !Number.isFinite(n) || (integer && !Number.isSafeInteger(n))) {
        return { error: `${name}: "${value}" is not ${integer ? 'a whole number' : 'a number'}` };
      }
      const { min_value: min, max_value: max } = option;
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
        return { error: `${name}: must be ${range} (got ${value})` };
      }
      return { value: n };
    }
    case OPTION_TYPES.boolean:
      if (TRUE.test(value)) return { value: true };
      if (FALSE.test(value)) return { value: false };
      return { error: `${name}: must be true or false (got "${value}")` };
    default:
      return { error: `${name}: this kind of option cannot be typed in the console` };
  }
}

/**
 * `/ask question: who is Putin's chef? results: 2` → `{ name: 'ask', options: { question: "who is Putin's chef?", results: 2 } }`.
 * Option names are those the command defines; values run to the next `name:`. As Discord's
 * client does, the options are checked against the command's definition — required
 * options, whole numbers, ranges, lengths, true/false, choices, unknown names — and every
 * problem is one line of `error`.
 */
export function parseSlashLine(line: string, commands: readonly CommandShape[]): { name: string; options: Record<string, OptionValue> } | Failure {
  const match = /^\/(\S+)\s*(.*)$/s.exec(line.trim());
  if (!match) return { error: 'A command starts with /' };
  const command = commands.find((c) => c.name === match[1]);
  if (!command) return { error: `Unknown command /${match[1]}. Commands: ${commands.map((c) => '/' + c.name).join(' ')}` };
  const declared = command.options ?? [];
  const rest = (match[2] ?? '').trim();
  const options: Record<string, OptionValue> = {};
  if (declared.length === 0) return rest ? { error: `/${command.name} takes no options` } : { name: command.name, options };

  const known = declared.map((o) => o.name).join(', ');
  const problems: string[] = [];
  const marker = new RegExp(`(?:^|\\s)(${declared.map((o) => escapeRegExp(o.name)).join('|')}):`, 'g');
  const found = [...rest.matchAll(marker)];
  const before = rest.slice(0, found[0]?.index ?? rest.length).trim();
  if (before) {
    const unknown = OPTION_LIKE.exec(before);
    problems.push(
      unknown
        ? `has no option "${unknown[1]}" (it has: ${known})`
        : `give options as name: value — /${command.name} ${declared.map((o) => (o.required ? `${o.name}: …` : `[${o.name}: …]`)).join(' ')}`,
    );
  }
  const given = new Set<string>();
  found.forEach((m, i) => {
    const name = m[1]!;
    const option = declared.find((o) => o.name === name)!;
    const value = rest.slice(m.index + m[0].length, found[i + 1]?.index ?? rest.length).trim();
    if (given.has(name)) {
      problems.push(`${name}: given twice`);
      return;
    }
    given.add(name);
    const checked = checkOption(option, value, known);
    if ('error' in checked) problems.push(checked.error);
    else options[name] = checked.value;
  });
  for (const option of declared) {
    if (option.required && !given.has(option.name)) problems.push(`needs the option "${option.name}" (${option.name}: …)`);
  }
  if (problems.length) return { error: problems.map((problem) => `/${command.name} ${problem}`).join('\n') };
  return { name: command.name, options };
}

export async function runLocalConsole(config: Config): Promise<void> {
  const color = process.stdout.isTTY === true;
  const out = (text: string) => process.stdout.write(text + '\n');
  const ld = await startLocalDiscord();
  let bot: Bot | undefined;
  // Whatever happens from here on, the server and the bot are closed before returning, so
  // a start-up error ends the process (one line, exit 1) instead of leaving it running.
  try {
    out(`Local Discord at ${ld.url} (no DISCORD_TOKEN set). To connect to a real server, put DISCORD_TOKEN in .env (see .env.example) and run npm start again.`);
    const logger = createLogger({ level: config.logLevel ?? 'warn', pretty: true });
    // The local server's moderator role may /reindex, so `/as mod` can try it.
    bot = await withProgress(process.stderr, (onIndexProgress) =>
      createBot(
        { ...config, discordToken: ld.token, discordApiUrl: ld.apiUrl, moderatorRoleIds: [...config.moderatorRoleIds, ld.roles.moderator] },
        logger,
        { onIndexProgress },
      ),
    );
    await bot.start();
    await talk(bot, ld, color, out);
  } finally {
    await bot?.stop().catch(() => {});
    await ld.close();
  }
  out('Bye.');
}

/** The prompt: lines in, the bot's answers out, until `/quit` or the end of input. */
async function talk(bot: Bot, ld: LocalDiscord, color: boolean, out: (text: string) => void): Promise<void> {
  out(`Verbatim is connected with ${bot.ctx.library.index.fileCount} files and ${bot.ctx.library.index.passageCount} passages. You are alice in a thread of #general.`);
  out('Type a question (sent as a message mentioning the bot), a command like /ask question: who is Putin\'s chef?, a button number, /as mod (or alice, bob, admin), or /quit.');
  const session = new ConsoleSession(ld, color, out);
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  try {
    rl.setPrompt(`${session.me.username}> `);
    rl.prompt();
    for await (const line of messagesOf(rl, process.stdin.isTTY === true)) {
      if (line === '/quit' || line === '/exit') break;
      try {
        await session.handle(line);
      } catch (error) {
        out(`(no answer: ${(error as Error).message})`);
      }
      rl.setPrompt(`${session.me.username}> `);
      rl.prompt();
    }
  } finally {
    rl.close();
  }
}

/** Who is typing, and the buttons of the answers shown (numbered as printed). */
class ConsoleSession {
  me: LocalMember;
  private buttons: Array<ButtonRef & { message: StoredMessage }> = [];
  private readonly people: Record<string, LocalMember>;
  private readonly commands = commandShapes(commandDefinitions());
  private readonly channelId: string;

  constructor(
    private readonly ld: LocalDiscord,
    private readonly color: boolean,
    private readonly out: (text: string) => void,
  ) {
    this.people = { ...ld.members };
    this.me = ld.members.alice;
    this.channelId = ld.channels.thread;
  }

  /** One line typed: a button number, `/as NAME`, a slash command, or a question. */
  async handle(line: string): Promise<void> {
    const { ld, me, channelId, out } = this;
    if (/^\d+$/.test(line)) {
      const button = this.buttons[Number(line) - 1];
      if (!button) out('No button with that number.');
      else if (button.disabled) out(`${button.label} is disabled.`);
      else {
        this.buttons = [];
        await this.showInteraction(ld.pressButton(me, button.message, button.customId));
      }
    } else if (line.startsWith('/as ')) {
      const who = this.people[line.slice(4).trim()];
      if (who) this.me = who;
      out(who ? `You are now ${who.username}.` : `Members: ${Object.keys(this.people).join(', ')}`);
    } else if (line.startsWith('/')) {
      const parsed = parseSlashLine(line, this.commands);
      if ('error' in parsed) out(parsed.error);
      else {
        this.buttons = [];
        await this.showInteraction(ld.slashCommand(me, parsed.name, parsed.options, { channelId }));
      }
    } else if (line) {
      this.buttons = [];
      const sent = ld.sendMessage(me, channelId, line, { mentionBot: true });
      this.show(await ld.waitForMessage(channelId, (m) => m.author.id === ld.botUserId && (m.message_reference as { message_id?: string } | undefined)?.message_id === sent.id, 30_000));
    }
  }

  private show(message: StoredMessage): void {
    const rendered = messageToText(message, { color: this.color }, this.buttons.length + 1);
    this.buttons.push(...rendered.buttons.map((b) => ({ ...b, message })));
    this.out(rendered.text);
  }

  private async showInteraction(handle: InteractionHandle): Promise<void> {
    const reply = await handle.waitForReply(30_000);
    if (reply.choices) this.out(reply.choices.map((c) => `  ${c.name}`).join('\n'));
    else if (reply.message) this.show(reply.message);
    // A deferred reply (reindex) keeps being edited: print each version until it settles.
    if (reply.type === 5) await followEdits(handle, (message) => this.show(message));
    for (const followUp of handle.followUps()) this.show(followUp);
  }
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
