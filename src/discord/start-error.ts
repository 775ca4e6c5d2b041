/** The bot could not connect: one line for the user, no stack. (Kept apart so the CLIs need not load discord.js.) */
export class BotStartError extends Error {
  override name = 'BotStartError';
}
