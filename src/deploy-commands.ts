/**
 * `npm run deploy-commands`: registers the slash command definitions with Discord, through
 * DISCORD_API_BASE. With DISCORD_GUILD_ID they are guild commands (instant, one server: for
 * testing); without, global commands (every server the bot is in). Re-running replaces the set.
 */
import { DiscordAPIError, REST, Routes } from 'discord.js';
import { commandDefinitions } from '../commands/index.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, registerSecret } from './log.js';

let token: string | undefined;

function fail(message: string): number {
  // stderr is not the logger: scrub the token here too, in case an error echoes it.
  process.stderr.write(`error: ${token ? message.split(token).join('[redacted]') : message}\n`);
  return 1;
}

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  if (!config.DISCORD_TOKEN) return fail('DISCORD_TOKEN is not set: deploy-commands needs the bot token (Discord developer portal, Bot, Reset Token).');
  if (!config.DISCORD_APPLICATION_ID) return fail('DISCORD_APPLICATION_ID is not set: deploy-commands needs the application id (Discord developer portal, General Information).');
  token = config.DISCORD_TOKEN;
  registerSecret(token);
  const log = createLogger({ level: config.LOG_LEVEL });

  const body = commandDefinitions();
  const route = config.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, config.DISCORD_GUILD_ID)
    : Routes.applicationCommands(config.DISCORD_APPLICATION_ID);
  const scope = config.DISCORD_GUILD_ID ? `guild ${config.DISCORD_GUILD_ID}` : 'global (every server; may take a few minutes to show)';
  const rest = new REST({ version: '10', api: config.DISCORD_API_BASE }).setToken(config.DISCORD_TOKEN);
  try {
    const registered = (await rest.put(route, { body })) as Array<{ name: string; id: string }>;
    log.info({ scope, api: config.DISCORD_API_BASE, commands: registered.map((c) => c.name) }, 'registered commands');
    process.stdout.write(`Registered ${registered.length} commands (${registered.map((c) => `/${c.name}`).join(', ')}) as ${scope}.\n`);
    return 0;
  } catch (err) {
    if (err instanceof DiscordAPIError) {
      const hint =
        err.status === 401
          ? 'the token was refused: check DISCORD_TOKEN'
          : err.status === 403 || err.status === 404
            ? 'check DISCORD_APPLICATION_ID, and that the bot was invited to DISCORD_GUILD_ID with the applications.commands scope'
            : 'Discord refused the definitions';
      return fail(`${hint} (HTTP ${err.status}, code ${err.code}: ${err.message})`);
    }
    return fail(`could not reach ${config.DISCORD_API_BASE}: ${(err as Error).message}`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = fail(err instanceof Error ? err.message : String(err));
  },
);
