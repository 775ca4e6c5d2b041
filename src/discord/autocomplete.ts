/** Autocomplete of the `file` option of /search and /source: folders and files of the served index. */
import type { AutocompleteInteraction } from 'discord.js';
import type { BotContext } from './context.ts';
import { fitChoices } from './limits.ts';

/** Folders and files for a command's `file` option; no choices for any other focused option. */
export async function fileAutocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  await interaction.respond(focused.name === 'file' ? fitChoices(matchSources(ctx, String(focused.value))) : []);
}

/**
 * Autocomplete over the indexed files and their folders: names starting with what was
 * typed first (the whole path or its last part), then names containing it. Folders end
 * in `/` and say how many files they hold.
 */
export function matchSources(ctx: BotContext, typed: string): Array<{ name: string; value: string }> {
  const needle = typed.trim().replace(/\\/g, '/').toLowerCase();
  const files = ctx.library.index.sources();
  const folderSizes = new Map<string, number>();
  for (const source of files) {
    for (let slash = source.indexOf('/'); slash !== -1; slash = source.indexOf('/', slash + 1)) {
      const folder = source.slice(0, slash + 1);
      folderSizes.set(folder, (folderSizes.get(folder) ?? 0) + 1);
    }
  }
  const entries = [...folderSizes.keys(), ...files].filter((entry) => entry.length <= 100);
  const lastPart = (entry: string) => entry.slice(entry.lastIndexOf('/', entry.length - 2) + 1);
  const starts = entries.filter((e) => e.toLowerCase().startsWith(needle) || lastPart(e).toLowerCase().startsWith(needle));
  const startSet = new Set(starts);
  const contains = entries.filter((e) => !startSet.has(e) && e.toLowerCase().includes(needle));
  return [...starts, ...contains].slice(0, 25).map((entry) => {
    const count = folderSizes.get(entry);
    return { name: count === undefined ? entry : `${entry} (${count} file${count === 1 ? '' : 's'})`.slice(0, 100), value: entry };
  });
}
