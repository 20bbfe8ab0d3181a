/**
 * /knowledge status | reload | upload file:<attachment> | rollback — for moderators.
 * Registered guild-only with ManageGuild as the default permission, and checked again here:
 * server admins can change who sees a command, and a forged or stale payload must not pass.
 * Everything but the refusal is deferred (a rebuild can take seconds) and ephemeral.
 */
import {
  ApplicationCommandOptionType,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { actorOf, interactionFields, type CommandContext, type Outcome } from '../src/bot/context.js';
import { DownloadRefused, downloadAttachment } from '../src/bot/download.js';
import { checkUploadCandidate, type KnowledgeRequest } from '../src/app/knowledge-service.js';
import { renderReplyMessage } from '../src/bot/render.js';
import { notice, type Reply } from '../src/app/replies.js';
import { MAX_KNOWLEDGE_FILE_BYTES } from '../src/knowledge/validate.js';

/** How long an attachment download may take. */
const DOWNLOAD_TIMEOUT_MS = 30_000;

export const data = {
  name: 'knowledge',
  description: 'Moderators: see and refresh the articles the bot answers from',
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  contexts: [InteractionContextType.Guild],
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: 'status', description: 'Version, documents, speakers, when and by whom it was loaded, per shard' },
    { type: ApplicationCommandOptionType.Subcommand, name: 'reload', description: 'Re-read the knowledge folder' },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'upload',
      description: 'Add or replace an article (.md or .txt, at most 5 MB); the old version is kept',
      options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'The article: a .md or .txt file', required: true }],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'rollback', description: 'Restore the version before the last upload' },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export async function execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<Outcome> {
  const subcommand = interaction.options.getSubcommand(false);
  if (!interaction.inGuild() || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    await interaction.reply({
      ...renderReplyMessage(notice('warning', 'Only members with the Manage Server permission can use /knowledge. Nothing was changed.')),
      flags: MessageFlags.Ephemeral,
    });
    return { msg: 'refused /knowledge: the member lacks Manage Server', level: 'warn' };
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const by = actorOf(interaction.user);
  const reply = await run(interaction, ctx, by);
  await interaction.editReply(renderReplyMessage(reply));
  if (reply.kind !== 'knowledge-refresh') return { msg: `/knowledge ${subcommand}`, fields: { by } };
  const { ok, action, before, after, refused } = reply.result;
  // The store writes the audit record itself; this line ties it to the guild and user.
  return {
    msg: `/knowledge ${subcommand}: ${ok ? 'done' : 'refused'}`,
    fields: { by, ok, action, before, after, refused, shards: reply.shards.map((s) => ({ shard: s.shard, version: s.status?.version ?? null })) },
  };
}

async function run(interaction: ChatInputCommandInteraction, ctx: CommandContext, by: string): Promise<Reply> {
  const subcommand = interaction.options.getSubcommand(true);
  switch (subcommand) {
    case 'status':
      return ctx.knowledge.run({ action: 'status' });
    case 'reload':
      return ctx.knowledge.run({ action: 'reload', by });
    case 'rollback':
      return ctx.knowledge.run({ action: 'rollback', by });
    case 'upload':
      return ctx.knowledge.run(await uploadRequest(interaction, ctx, by));
    default:
      return notice('error', `Unknown subcommand ${subcommand}; try status, reload, upload or rollback.`);
  }
}

/**
 * The attachment's name and size are checked before anything is fetched, the host before the
 * download, the size again while streaming; the store validates the content.
 */
async function uploadRequest(interaction: ChatInputCommandInteraction, ctx: CommandContext, by: string): Promise<KnowledgeRequest> {
  const file = interaction.options.getAttachment('file', true);
  const refuse = (reason: string): KnowledgeRequest => ({ action: 'refuse-upload', fileName: file.name, reason, by });
  const early = checkUploadCandidate(file.name, file.size);
  if (early) return refuse(early);
  try {
    const bytes = await downloadAttachment(file.url, {
      discordHosts: ctx.config.discordHosts,
      allowedHosts: ctx.config.KNOWLEDGE_ATTACHMENT_HOSTS,
      maxBytes: MAX_KNOWLEDGE_FILE_BYTES,
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
    });
    ctx.logger.info({ command: 'knowledge', subcommand: 'upload', ...interactionFields(interaction), file: file.name, bytes: bytes.byteLength, host: new URL(file.url).host }, 'attachment downloaded');
    return { action: 'upload', fileName: file.name, bytes, by };
  } catch (err) {
    if (err instanceof DownloadRefused) return refuse(err.message);
    throw err;
  }
}
