/**
 * The command registry: the static list in `commands/index.ts` as maps by command name and
 * by button custom-id prefix. The bot dispatches through it and the deploy script registers
 * the same definitions.
 */
import { COMMANDS } from '../../commands/index.ts';
import type { SlashCommand } from './context.ts';

export interface CommandRegistry {
  commands: Map<string, SlashCommand>;
  /** Button handlers by custom-id prefix. */
  buttons: Map<string, NonNullable<SlashCommand['buttons']>[string]>;
}

/** The registry of `commands` (default: every command); two commands or button prefixes with one name are an error. */
export function commandRegistry(commands: readonly SlashCommand[] = COMMANDS): CommandRegistry {
  const byName = new Map<string, SlashCommand>();
  const buttons: CommandRegistry['buttons'] = new Map();
  for (const command of commands) {
    if (byName.has(command.data.name)) throw new Error(`two commands are named ${command.data.name}`);
    byName.set(command.data.name, command);
    for (const [prefix, handler] of Object.entries(command.buttons ?? {})) {
      if (buttons.has(prefix)) throw new Error(`two button handlers use the prefix ${prefix}`);
      buttons.set(prefix, handler);
    }
  }
  return { commands: byName, buttons };
}

/** The JSON bodies Discord's "bulk overwrite commands" endpoint takes. */
export function commandDefinitions(registry: CommandRegistry = commandRegistry()) {
  return [...registry.commands.values()].map((command) => command.data.toJSON());
}
