/** What every command handler gets, and the shape of a command module (commands/*.ts). */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  User,
} from 'discord.js';
import type { Config } from '../config.js';
import type { ServerKnowledge } from '../knowledge/servers.js';
import type { Logger } from '../log.js';
import { Cooldowns } from '../app/cooldown.js';
import { FollowUps } from '../app/follow-ups.js';
import { createKnowledgeService, type KnowledgeService, type ShardPeers } from '../app/knowledge-service.js';

export interface CommandContext {
  config: Config;
  /** Each server's own knowledge, or the shared default (see src/bot/scope.ts for which applies). */
  servers: ServerKnowledge;
  /** /knowledge actions on a server's own knowledge, or on the default (carried to every shard). */
  knowledge: KnowledgeService;
  logger: Logger;
  /** Per-user cooldown of /ask. */
  askCooldown: Cooldowns;
  /** Whole questions the "More" buttons continue. */
  followUps: FollowUps;
}

/**
 * The context of one process's commands: its knowledge service, /ask cooldowns and "More"
 * questions are its own (a "More" press that lands on another replica or shard falls back on the
 * question the message shows, see src/app/follow-ups.ts).
 */
export function createCommandContext(options: { config: Config; servers: ServerKnowledge; logger: Logger; shardLabel: string; peers?: ShardPeers }): CommandContext {
  const { config, servers, logger, shardLabel, peers } = options;
  return {
    config,
    servers,
    knowledge: createKnowledgeService({ servers, logger, shardLabel, peers }),
    logger,
    askCooldown: new Cooldowns(config.ASK_COOLDOWN_SECONDS),
    followUps: new FollowUps(),
  };
}

/**
 * What a handler did, for the router to time, log and count (src/bot/router.ts): handlers only
 * answer and say what happened; the latency, the ids of the interaction, the command's name and
 * the events are added in one place.
 */
export interface Outcome {
  /** The log line's message, e.g. "answered /ask". */
  msg: string;
  level?: 'info' | 'warn';
  /** What the log line says beyond what the router adds. */
  fields?: Record<string, unknown>;
  /** A question was answered or abstained on: the router emits the 'question' event. */
  question?: { command: 'ask' | 'more'; answered: boolean };
  /** The user was told to wait: the router emits the 'cooldown' event. */
  cooldown?: boolean;
}

/** A slash command: its definition (registered by deploy-commands) and its handlers. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<Outcome | void>;
  /** Must answer within 3 s; the router times it and logs it at debug level (it runs per keystroke). */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  /** custom_id prefix of the buttons this command puts on its messages, e.g. "ask:". */
  buttonPrefix?: string;
  button?(interaction: ButtonInteraction, ctx: CommandContext): Promise<Outcome | void>;
}

/** Who did something, as the store's audit log and status show it. */
export function actorOf(user: User): string {
  return `${user.username} (${user.id})`;
}

/** The ids every log line about an interaction carries. */
export function interactionFields(interaction: Interaction): { interactionId: string; userId: string; guildId: string | null; channelId: string | null } {
  return { interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId };
}
