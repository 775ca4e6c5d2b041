/**
 * Snowflake ids for the local Discord-compatible server, made like Discord's: milliseconds
 * since the Discord epoch (2015-01-01) shifted left 22 bits, then worker, process and a
 * per-millisecond increment. Ids are unique within a process and increase with time.
 */
export const DISCORD_EPOCH = 1_420_070_400_000n;

let lastMs = 0n;
let increment = 0n;

/** A new snowflake (18–19 digits today). */
export function snowflake(now: number = Date.now()): string {
  let ms = BigInt(now) - DISCORD_EPOCH;
  if (ms < lastMs) ms = lastMs;
  if (ms === lastMs) {
    increment = (increment + 1n) & 0xfffn;
    if (increment === 0n) ms = lastMs + 1n; // 4096 ids in one millisecond: borrow the next one
  } else {
    increment = 0n;
  }
  lastMs = ms;
  const worker = 1n;
  const processId = BigInt(process.pid & 0x1f);
  return ((ms << 22n) | (worker << 17n) | (processId << 12n) | increment).toString();
}

/** When a snowflake was made (ms since 1970). */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/**
 * A snowflake for a moment in the past (an interaction that waited in a queue before the
 * bot saw it). Not part of the increasing sequence; the low bits are random.
 */
export function snowflakeAt(ms: number): string {
  const since = BigInt(Math.floor(ms)) - DISCORD_EPOCH;
  return ((since << 22n) | (1n << 17n) | BigInt(Math.floor(Math.random() * 0x1ffff))).toString();
}
