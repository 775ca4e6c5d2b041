/**
 * The local Discord-compatible server: REST under `/api/v10` and the v10 gateway on
 * 127.0.0.1, for running the real bot without Discord (tests, the console, benchmarks).
 */
export {
  LocalDiscord,
  startLocalDiscord,
  type BotReply,
  type InteractionHandle,
  type LocalDiscordOptions,
  type LocalInteraction,
  type LocalMember,
  type RequestRecord,
  type StoredMessage,
} from './server.ts';
export { snowflake, snowflakeTime } from './snowflake.ts';
