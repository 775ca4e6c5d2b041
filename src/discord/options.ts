/**
 * Slash-command options declared once, as data: the builder Discord gets, the typed
 * arguments `execute` reads and the `/help` text all come from the same declaration, so a
 * renamed option is a compile error where it is read (discord-utils-bot's `ArgumentsOf`).
 *
 * ```ts
 * export const options = [
 *   { type: 'string', name: 'question', description: 'Your question', required: true, maxLength: 300 },
 *   { type: 'integer', name: 'results', description: 'How many quotes (1–5, default 3)', min: 1, max: 5 },
 * ] as const satisfies readonly OptionSpec[];
 * export const data = slashCommand({ name: 'ask', description: '…' }, options);
 * const { question, results } = argumentsOf(interaction, options); // string, number | undefined
 * ```
 */
import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';

export type OptionSpec =
  | { type: 'string'; name: string; description: string; required?: boolean; maxLength?: number; autocomplete?: boolean }
  | { type: 'integer'; name: string; description: string; required?: boolean; min?: number; max?: number }
  | { type: 'boolean'; name: string; description: string; required?: boolean };

interface ValueOfType {
  string: string;
  integer: number;
  boolean: boolean;
}

/** The arguments of a command with these options: required ones always set, others maybe. */
export type ArgumentsOf<O extends readonly OptionSpec[]> = {
  [S in O[number] as S['name']]: S extends { required: true } ? ValueOfType[S['type']] : ValueOfType[S['type']] | undefined;
};

export interface CommandSpec {
  name: string;
  description: string;
  /** Only members with these permissions see the command (Discord enforces it). Example: `PermissionFlagsBits.ManageGuild`. */
  memberPermissions?: bigint;
}

/** The command's definition for Discord: a guild command with `options` in order. */
export function slashCommand(spec: CommandSpec, options: readonly OptionSpec[] = []): SlashCommandBuilder {
  const builder = new SlashCommandBuilder().setName(spec.name).setDescription(spec.description).setContexts(InteractionContextType.Guild);
  if (spec.memberPermissions !== undefined) builder.setDefaultMemberPermissions(spec.memberPermissions);
  for (const option of options) {
    if (option.type === 'string') {
      builder.addStringOption((o) => {
        o.setName(option.name).setDescription(option.description).setRequired(option.required ?? false);
        if (option.maxLength !== undefined) o.setMaxLength(option.maxLength);
        if (option.autocomplete) o.setAutocomplete(true);
        return o;
      });
    } else if (option.type === 'integer') {
      builder.addIntegerOption((o) => {
        o.setName(option.name).setDescription(option.description).setRequired(option.required ?? false);
        if (option.min !== undefined) o.setMinValue(option.min);
        if (option.max !== undefined) o.setMaxValue(option.max);
        return o;
      });
    } else builder.addBooleanOption((o) => o.setName(option.name).setDescription(option.description).setRequired(option.required ?? false));
  }
  return builder;
}

/** The interaction's arguments, typed by the options they were declared with. */
export function argumentsOf<const O extends readonly OptionSpec[]>(interaction: Pick<ChatInputCommandInteraction, 'options'>, options: O): ArgumentsOf<O> {
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const option of options) {
    const required = option.required ?? false;
    if (option.type === 'string') out[option.name] = interaction.options.getString(option.name, required) ?? undefined;
    else if (option.type === 'integer') out[option.name] = interaction.options.getInteger(option.name, required) ?? undefined;
    else out[option.name] = interaction.options.getBoolean(option.name, required) ?? undefined;
  }
  return out as ArgumentsOf<O>;
}
