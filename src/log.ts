/**
 * The one pino logger. Secrets are redacted by path, and the token itself is scrubbed from any
 * string a log line carries (an error message that echoes a header, say).
 */
import pino, { type Logger } from 'pino';

const secrets = new Set<string>();

/** Registers a secret value (the bot token) that must never reach a log line. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) secrets.add(value);
}

function scrub(value: unknown): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const s of secrets) out = out.split(s).join('[redacted]');
    return out;
  }
  if (value instanceof Error) return { type: value.name, message: scrub(value.message), stack: scrub(value.stack) };
  return value;
}

/** A log argument with every secret replaced (objects are copied, errors kept readable). */
function scrubArg(arg: unknown): unknown {
  if (typeof arg !== 'object' || arg === null || secrets.size === 0) return arg instanceof Error ? scrub(arg) : scrub(arg);
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
