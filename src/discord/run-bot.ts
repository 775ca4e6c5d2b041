/** Runs the bot until SIGINT/SIGTERM, then finishes in-flight replies and exits 0. */
import type { Config } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createBot } from './bot.ts';
import { BotStartError } from './start-error.ts';


function explainStartFailure(error: unknown, config: Config): string {
  const err = error as { code?: string | number; status?: number; message?: string };
  const where = config.discordApiUrl ?? 'Discord';
  if (err.code === 'TokenInvalid' || err.status === 401 || err.code === 4004) return 'Discord rejected DISCORD_TOKEN (invalid token)';
  if (err.code === 'DisallowedIntents' || err.code === 4014) return 'the bot is not allowed the intents it asks for';
  if (typeof err.code === 'string' && /^E[A-Z]+/.test(err.code)) return `cannot reach ${where} (${err.code})`;
  return `could not connect to ${where}: ${String(err.message ?? error).split('\n')[0]}`;
}

export async function runBot(config: Config): Promise<void> {
  const logger = createLogger({ level: config.logLevel ?? 'info' });
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const bot = await createBot(config, logger);
  await new Promise<void>((resolve, reject) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      bot.stop().then(resolve, reject);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    bot.start().catch(async (error: unknown) => {
      await bot.client.destroy().catch(() => {});
      reject(new BotStartError(explainStartFailure(error, config)));
    });
  });
}
