/**
 * The local Discord-compatible server: REST under `/api/v10` and the v10 gateway on
 * 127.0.0.1, for running the real bot without Discord (tests, the console, benchmarks).
 */
export { LocalDiscord, startLocalDiscord, type LocalDiscordOptions } from './server.ts';
export type { BotReply, InteractionHandle, LocalInteraction, LocalMember, RequestRecord, StoredMessage } from './records.ts';
export { snowflake, snowflakeTime } from './snowflake.ts';
