/**
 * Which server's knowledge answers an interaction. A guild's own knowledge answers only in that
 * guild, and only when the bot is installed there (a guild install): DMs and user installs (the
 * bot used in a server it was never added to) answer from the bundled default.
 */
import type { Interaction, InteractionDeferReplyOptions } from 'discord.js';
import type { KnowledgeStore } from '../knowledge/store.js';
import type { CommandContext } from './context.js';

/** The server whose knowledge applies, or null for the bundled default. */
export function serverOf(interaction: Interaction): string | null {
  if (!interaction.guildId) return null;
  const guildInstall = interaction.authorizingIntegrationOwners?.guildId;
  // Discord names the guild the app is installed in; another (or none) means a user install.
  if (guildInstall !== undefined && guildInstall !== null && guildInstall !== interaction.guildId) return null;
  if (guildInstall === null && interaction.authorizingIntegrationOwners?.userId) return null;
  return interaction.guildId;
}

/**
 * The knowledge that answers `interaction`. When the server's own knowledge is not in memory (the
 * first question after a restart or an eviction) the interaction is deferred first, so Discord
 * gets its response within 3 s while the index loads (from the cache: milliseconds; a build:
 * seconds), and the answer is then an edit of the deferred reply.
 */
export async function answeringStore(
  interaction: Interaction & { deferReply(options?: InteractionDeferReplyOptions): Promise<unknown> },
  ctx: CommandContext,
  deferOptions: InteractionDeferReplyOptions = {},
): Promise<{ store: KnowledgeStore; deferred: boolean }> {
  const server = serverOf(interaction);
  const ready = ctx.servers.peek(server);
  if (ready) return { store: ready, deferred: false };
  await interaction.deferReply(deferOptions);
  return { store: await ctx.servers.answering(server), deferred: true };
}
