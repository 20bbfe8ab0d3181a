/**
 * Routes every interaction to its command: slash commands, autocomplete, buttons. Nothing a user
 * sends can crash the bot: an unknown command, a payload missing its options, or a handler that
 * throws gets an ephemeral apology and an error log line. Every handler promise is tracked so a
 * shutdown can let replies in flight finish.
 *
 * The router also owns what every command would otherwise repeat: it times each interaction,
 * writes its log line (the handler's Outcome plus the command, the ids and the latency) and
 * emits its event ('question', 'cooldown').
 */
import { MessageFlags, type Interaction } from 'discord.js';
import { emitBotEvent } from '../app/events.js';
import { actorOf, interactionFields, type Command, type CommandContext, type Outcome } from './context.js';
import { renderReplyMessage } from './render.js';
import { notice } from '../app/replies.js';

export interface InteractionRouter {
  /** Handles one interaction in the background (never throws, never rejects). */
  handle(interaction: Interaction): void;
  /** Stops taking interactions: later ones get a short "restarting" notice. */
  close(): void;
  /** Resolves true when every handler in flight has finished, false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean>;
  readonly inFlight: number;
}

/** discord.js option errors: the payload lacks an option the definition requires. */
const OPTION_ERRORS = new Set([
  'CommandInteractionOptionNotFound',
  'CommandInteractionOptionEmpty',
  'CommandInteractionOptionNoSubcommand',
  'CommandInteractionOptionNoSubcommandGroup',
  'CommandInteractionOptionType',
]);

const APOLOGY = 'Sorry, something went wrong while answering. It has been logged; please try again.';

export function createRouter(commands: readonly Command[], ctx: CommandContext): InteractionRouter {
  const log = ctx.logger.child({ component: 'router' });
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const pending = new Set<Promise<void>>();
  let closed = false;

  /** An ephemeral apology however far the interaction got; failures here are only logged. */
  async function apologize(interaction: Interaction, text: string): Promise<void> {
    try {
      if (interaction.isAutocomplete()) {
        if (!interaction.responded) await interaction.respond([]);
        return;
      }
      if (!interaction.isRepliable()) return;
      const body = renderReplyMessage(notice('error', text));
      if (interaction.deferred && !interaction.replied) await interaction.editReply(body);
      else if (interaction.replied) await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
      else await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
    } catch (err) {
      log.error({ err, ...interactionFields(interaction) }, 'could not send the apology either');
    }
  }

  /** The handler's outcome as one log line and its events; `command` is the handling command's name. */
  function report(interaction: Interaction, command: string, outcome: Outcome | void, started: number): void {
    const latencyMs = Math.round(performance.now() - started);
    try {
      const subcommand = interaction.isChatInputCommand() ? interaction.options.getSubcommand(false) : null;
      const fields = { command, ...(subcommand ? { subcommand } : {}), ...interactionFields(interaction), latencyMs, ...outcome?.fields };
      if (outcome?.level === 'warn') ctx.logger.warn(fields, outcome.msg);
      else ctx.logger.info(fields, outcome?.msg ?? `handled /${command}`);
    } catch (err) {
      // The reply is out already: a failed log line must not turn it into an apology.
      log.error({ err, command, latencyMs }, 'could not log the interaction');
    }
    if (outcome?.question) emitBotEvent('question', { source: 'discord', command: outcome.question.command, latencyMs, answered: outcome.question.answered });
    if (outcome?.cooldown) emitBotEvent('cooldown', { command, userId: interaction.user.id });
  }

  async function dispatch(interaction: Interaction, started: number): Promise<void> {
    const fields = interactionFields(interaction);
    if (closed) {
      log.info(fields, 'interaction during shutdown: asked to retry');
      await apologize(interaction, 'The bot is restarting; please try again in a minute.');
      return;
    }
    if (interaction.isChatInputCommand()) {
      const command = byName.get(interaction.commandName);
      if (!command) {
        log.error({ ...fields, command: interaction.commandName }, 'unknown command (deploy-commands and the running code disagree?)');
        await apologize(interaction, `Sorry, I don't know the command /${interaction.commandName}.`);
        return;
      }
      report(interaction, command.data.name, await command.execute(interaction, ctx), started);
    } else if (interaction.isAutocomplete()) {
      const command = byName.get(interaction.commandName);
      if (command?.autocomplete) {
        await command.autocomplete(interaction, ctx);
        log.debug({ ...fields, command: command.data.name, latencyMs: Math.round(performance.now() - started) }, 'autocomplete');
      } else {
        log.error({ ...fields, command: interaction.commandName }, 'autocomplete for a command that has none');
        await interaction.respond([]);
      }
    } else if (interaction.isButton()) {
      const command = commands.find((c) => c.buttonPrefix && c.button && interaction.customId.startsWith(c.buttonPrefix));
      if (!command?.button) {
        log.error({ ...fields, customId: interaction.customId }, 'button nobody handles');
        await apologize(interaction, 'Sorry, this button does not work (any more).');
        return;
      }
      report(interaction, command.data.name, await command.button(interaction, ctx), started);
    } else if (interaction.isRepliable()) {
      log.error({ ...fields, type: interaction.type }, 'interaction of a kind this bot does not handle');
      await apologize(interaction, 'Sorry, I cannot handle that.');
    }
  }

  async function run(interaction: Interaction): Promise<void> {
    const started = performance.now();
    try {
      await dispatch(interaction, started);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const fields = { ...interactionFields(interaction), by: actorOf(interaction.user), latencyMs: Math.round(performance.now() - started) };
      if (typeof code === 'string' && OPTION_ERRORS.has(code)) {
        log.error({ ...fields, err }, 'interaction is missing options');
        await apologize(interaction, 'Sorry, that command arrived without the options it needs. Please try again.');
      } else if ((err as Error)?.name === 'StoreUnavailableError') {
        // The knowledge database is down and this server's knowledge is not in memory: a passing
        // outage, not a bug (src/knowledge/postgres-store.ts).
        log.warn({ ...fields, reason: (err as Error).message }, 'knowledge store unavailable for this interaction');
        await apologize(interaction, "This server's knowledge cannot be reached right now. Please try again in a minute.");
      } else {
        log.error({ ...fields, err }, 'interaction handler failed');
        await apologize(interaction, APOLOGY);
      }
    }
  }

  return {
    handle(interaction) {
      const p = run(interaction).catch(() => undefined);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    close() {
      closed = true;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      // Handlers started while draining (the "restarting" notice) are waited for too.
      const all = (async () => {
        while (pending.size) await Promise.allSettled([...pending]);
        return true as const;
      })();
      const done = await Promise.race([all, timeout]);
      clearTimeout(timer);
      return done;
    },
    get inFlight() {
      return pending.size;
    },
  };
}
