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
import type { KnowledgeStore } from '../knowledge/store.js';
import type { Logger } from '../log.js';
import type { Cooldowns } from '../app/cooldown.js';
import type { KnowledgeService } from '../app/knowledge-service.js';

export interface CommandContext {
  config: Config;
  store: KnowledgeStore;
  /** /knowledge actions, carried to every shard. */
  knowledge: KnowledgeService;
  logger: Logger;
  /** Per-user cooldown of /ask. */
  askCooldown: Cooldowns;
}

/** A slash command: its definition (registered by deploy-commands) and its handlers. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  /** custom_id prefix of the buttons this command puts on its messages, e.g. "ask:". */
  buttonPrefix?: string;
  button?(interaction: ButtonInteraction, ctx: CommandContext): Promise<void>;
}

/** Who did something, as the store's audit log and status show it. */
export function actorOf(user: User): string {
  return `${user.username} (${user.id})`;
}

/** The ids every log line about an interaction carries. */
export function interactionFields(interaction: Interaction): { interactionId: string; userId: string; guildId: string | null; channelId: string | null } {
  return { interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId, channelId: interaction.channelId };
}
