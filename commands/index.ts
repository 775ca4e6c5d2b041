/**
 * Every slash command, in one static list: the bot dispatches on it and the deploy script
 * registers it, so what users see and what runs cannot differ, and the type checker sees
 * every command module (each must satisfy `SlashCommand`).
 */
import type { SlashCommand } from '../src/discord/context.ts';
import * as ask from './ask.ts';
import * as help from './help.ts';
import * as reindex from './reindex.ts';
import * as search from './search.ts';
import * as source from './source.ts';
import * as stats from './stats.ts';

// In the order `/help` lists them.
export const COMMANDS: readonly SlashCommand[] = [ask, search, source, stats, reindex, help];
