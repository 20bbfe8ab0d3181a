/**
 * /knowledge status | reload | upload file:<attachment> | rollback — for moderators, on their own
 * server's knowledge only. Registered guild-only with ManageGuild as the default permission, and
 * checked again here: server admins can change who sees a command, and a forged or stale payload
 * must not pass. `default:true` acts on the bundled default that every server without its own
 * shares: only for BOT_OWNER_IDS. Everything but the refusal is deferred (a rebuild can take
 * seconds) and ephemeral; a long rebuild edits the deferred reply as it moves on.
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
import { checkUploadCandidate, type KnowledgeRequest, type KnowledgeScope } from '../src/app/knowledge-service.js';
import { renderReplyMessage } from '../src/bot/render.js';
import { notice, type Reply } from '../src/app/replies.js';
import type { BuildProgress } from '../src/knowledge/store.js';
import { MAX_KNOWLEDGE_FILE_BYTES } from '../src/knowledge/validate.js';

/** How long an attachment download may take. */
const DOWNLOAD_TIMEOUT_MS = 30_000;
/** A rebuild shorter than this gets no progress edits; longer ones get one at most this often. */
const PROGRESS_EVERY_MS = 2_000;

const DEFAULT_OPTION = {
  type: ApplicationCommandOptionType.Boolean,
  name: 'default',
  description: 'Bot owners only: the bundled default knowledge shared by servers without their own',
  required: false,
} as const;

export const data = {
  name: 'knowledge',
  description: 'Moderators: see and refresh the articles the bot answers from',
  default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
  contexts: [InteractionContextType.Guild],
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: 'status', description: "This server's knowledge: version, documents, speakers, who loaded it", options: [DEFAULT_OPTION] },
    { type: ApplicationCommandOptionType.Subcommand, name: 'reload', description: "Re-read this server's knowledge folder", options: [DEFAULT_OPTION] },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: 'upload',
      description: 'Add or replace an article (.md or .txt, at most 5 MB) for this server; the old version is kept',
      options: [{ type: ApplicationCommandOptionType.Attachment, name: 'file', description: 'The article: a .md or .txt file', required: true }, DEFAULT_OPTION],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: 'rollback', description: 'Restore the version before the last upload', options: [DEFAULT_OPTION] },
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
  const onDefault = interaction.options.getBoolean('default') ?? false;
  if (onDefault && !ctx.config.BOT_OWNER_IDS.includes(interaction.user.id)) {
    await interaction.reply({
      ...renderReplyMessage(notice('warning', "The bundled default knowledge is the bot operator's (BOT_OWNER_IDS): use /knowledge without default to change this server's own. Nothing was changed.")),
      flags: MessageFlags.Ephemeral,
    });
    return { msg: 'refused /knowledge default: not a bot owner', level: 'warn', fields: { subcommand } };
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const by = actorOf(interaction.user);
  const progress = progressEdits(interaction);
  const scope = { server: onDefault ? null : interaction.guildId, onProgress: progress.report };
  const reply = await run(interaction, ctx, by, scope);
  await progress.done();
  await interaction.editReply(renderReplyMessage(reply));
  const target = { serverId: scope.server, default: onDefault };
  if (reply.kind !== 'knowledge-refresh') return { msg: `/knowledge ${subcommand}`, fields: { by, ...target } };
  const { ok, action, before, after, refused } = reply.result;
  // The store writes the audit record itself; this line ties it to the guild and user.
  return {
    msg: `/knowledge ${subcommand}: ${ok ? 'done' : 'refused'}`,
    fields: { by, ...target, ok, action, before, after, refused, shards: reply.shards.map((s) => ({ shard: s.shard, version: s.status?.version ?? null })) },
  };
}

/**
 * Edits the deferred reply as a long rebuild moves on: nothing for a quick one, then at most one
 * edit every PROGRESS_EVERY_MS, in order, all finished before the final reply.
 */
function progressEdits(interaction: ChatInputCommandInteraction): { report: (p: BuildProgress) => void; done: () => Promise<void> } {
  const started = performance.now();
  let lastEdit = started;
  let chain: Promise<unknown> = Promise.resolve();
  let finished = false;
  return {
    report(p) {
      const now = performance.now();
      if (finished || now - lastEdit < PROGRESS_EVERY_MS) return;
      lastEdit = now;
      const seconds = Math.round((now - started) / 1000);
      const text =
        p.stage === 'checking' ? `Checking the files: ${p.done ?? 0} of ${p.total} (${seconds} s so far)…`
        : p.stage === 'building' ? `Building the index of ${p.total} document(s) (${seconds} s so far)…`
        : `Saving the built index (${seconds} s so far)…`;
      chain = chain.then(() => interaction.editReply(renderReplyMessage(notice('info', text)))).catch(() => undefined);
    },
    async done() {
      finished = true;
      await chain;
    },
  };
}

async function run(interaction: ChatInputCommandInteraction, ctx: CommandContext, by: string, scope: KnowledgeScope): Promise<Reply> {
  const subcommand = interaction.options.getSubcommand(true);
  switch (subcommand) {
    case 'status':
      return ctx.knowledge.run({ action: 'status' }, scope);
    case 'reload':
      return ctx.knowledge.run({ action: 'reload', by }, scope);
    case 'rollback':
      return ctx.knowledge.run({ action: 'rollback', by }, scope);
    case 'upload':
      return ctx.knowledge.run(await uploadRequest(interaction, ctx, by), scope);
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
