/**
 * Gateway close codes after which reconnecting cannot help: the token, the shard setup or the
 * intents are wrong, and only the operator can fix them. The process then exits with
 * EXIT_FATAL_GATEWAY (a supervisor restarts it or alerts) rather than staying up disconnected.
 * https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes
 */
import { GatewayCloseCodes } from 'discord.js';

/** Exit status of a process ended by a fatal close: EX_CONFIG, the configuration needs a fix. */
export const EXIT_FATAL_GATEWAY = 78;

const FATAL_CLOSE_REASONS: ReadonlyMap<number, string> = new Map([
  [GatewayCloseCodes.AuthenticationFailed, 'authentication failed: the token is invalid or was reset (copy a new DISCORD_TOKEN from the Developer Portal)'],
  [GatewayCloseCodes.InvalidShard, 'invalid shard: check SHARD_COUNT and SHARD_IDS'],
  [GatewayCloseCodes.ShardingRequired, 'sharding required: the bot is in too many servers for one shard, set SHARD_COUNT'],
  [GatewayCloseCodes.InvalidAPIVersion, 'invalid gateway API version: update discord.js'],
  [GatewayCloseCodes.InvalidIntents, 'invalid intents'],
  [GatewayCloseCodes.DisallowedIntents, 'disallowed intents: the bot asked for an intent it is not allowed in the Developer Portal'],
]);

/** Why a close with `code` is fatal, or null when discord.js may reconnect or resume. */
export function fatalCloseReason(code: number): string | null {
  return FATAL_CLOSE_REASONS.get(code) ?? null;
}
