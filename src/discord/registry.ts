/**
 * The one loader of `commands/`: every `<name>.ts` there is a slash command module. The
 * bot dispatches through this registry and the deploy script registers the same
 * definitions, so what users see and what runs cannot differ.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../config.ts';
import type { SlashCommand } from './context.ts';

export const COMMANDS_DIR = path.join(PROJECT_ROOT, 'commands');

export interface CommandRegistry {
  commands: Map<string, SlashCommand>;
  /** Button handlers by custom-id prefix. */
  buttons: Map<string, NonNullable<SlashCommand['buttons']>[string]>;
}

export async function loadCommands(dir = COMMANDS_DIR): Promise<CommandRegistry> {
  const commands = new Map<string, SlashCommand>();
  const buttons: CommandRegistry['buttons'] = new Map();
  const files = readdirSync(dir).filter((name) => /\.ts$/.test(name) && !name.endsWith('.d.ts')).sort();
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(dir, file)).href)) as Partial<SlashCommand>;
    if (!module.data || typeof module.execute !== 'function') throw new Error(`commands/${file} must export data and execute`);
    if (commands.has(module.data.name)) throw new Error(`two commands are named ${module.data.name}`);
    commands.set(module.data.name, module as SlashCommand);
    for (const [prefix, handler] of Object.entries(module.buttons ?? {})) {
      if (buttons.has(prefix)) throw new Error(`two button handlers use the prefix ${prefix}`);
      buttons.set(prefix, handler);
    }
  }
  return { commands, buttons };
}

/** The JSON bodies Discord's "bulk overwrite commands" endpoint takes. */
export function commandDefinitions(registry: CommandRegistry) {
  return [...registry.commands.values()].map((command) => command.data.toJSON());
}
