/** The bot could not connect: one line for the user, no stack. (Kept apart so the CLIs need not load discord.js.) */
import { VerbatimError } from '../core/errors.ts';

export class BotStartError extends VerbatimError {
  override name = 'BotStartError';
}
