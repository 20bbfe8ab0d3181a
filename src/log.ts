/**
 * The one pino logger. Secrets are redacted by path, the token itself is scrubbed from any
 * string a log line carries (an error message that echoes a header, say), and so are credentials
 * written into URLs (`DISCORD_API_BASE=http://user:pass@host/api`).
 */
import pino, { type Logger } from 'pino';

const secrets = new Set<string>();

/** Registers a secret value (the bot token) that must never reach a log line. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) secrets.add(value);
}

/**
 * `scheme://user[:password]@`: the userinfo of a URL. Character classes that cannot overlap, so
 * the match is linear however long the string.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

function scrub(value: unknown): unknown {
  if (typeof value === 'string') {
    let out = value.includes('@') ? value.replace(URL_CREDENTIALS, '$1[redacted]@') : value;
    for (const s of secrets) out = out.split(s).join('[redacted]');
    return out;
  }
  if (value instanceof Error) return { type: value.name, message: scrub(value.message), stack: scrub(value.stack) };
  return value;
}

/** A log argument with every secret replaced (objects are copied, errors kept readable). */
function scrubArg(arg: unknown): unknown {
  if (typeof arg !== 'object' || arg === null) return scrub(arg);
  if (arg instanceof Error) return scrub(arg);
  try {
    return JSON.parse(JSON.stringify(arg, (_k, v) => scrub(v)));
  } catch {
    return { unserialisable: scrub(String(arg)) };
  }
}

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { pid: process.pid },
      redact: {
        paths: ['token', '*.token', 'config.discordToken', 'headers.authorization', '*.headers.authorization', 'DISCORD_TOKEN', '*.DISCORD_TOKEN'],
        censor: '[redacted]',
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map(scrubArg) as Parameters<typeof method>);
        },
      },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination(2),
  );
}

/** Process-wide logger; logs go to stderr so stdout stays for answers (CLI, console). */
export const logger: Logger = createLogger();
export type { Logger };
