/** pino, the structured logger. Logs go to stderr so stdout stays clean for `--json`. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** One readable line per entry (`warn: rebuilding the index (reason: …)`) for people at a terminal. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

/** Keys that may hold secrets are censored wherever they appear. */
const REDACT = ['token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'discordToken', '*.discordToken'];

export function createLogger({ level, pretty = false, destination = process.stderr }: LoggerOptions): Logger {
  const target = pretty ? prettyLines(destination) : destination;
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '[secret]' } }, target as pino.DestinationStream);
}

/** A logger that drops everything. */
export const silentLogger: Logger = pino({ level: 'silent' });

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

function prettyLines(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const { level, msg, time: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
          const extras = Object.entries(rest)
            .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
            .join(', ');
          out.write(`${LEVEL_NAMES[level as number] ?? 'log'}: ${String(msg ?? '')}${extras ? ` (${extras})` : ''}\n`);
        } catch {
          out.write(line + '\n');
        }
      }
      done();
    },
  });
}
