/**
 * Command-line options of the repository's scripts: node's parseArgs, but an option a script does
 * not take, or a value it cannot use, ends the script with its usage and exit code 2 instead of a
 * stack trace (and `npm run fit -- --chek` must not go on to rewrite the weights).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export function scriptArgs<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    usageError((e as Error).message, usage);
  }
}

/** Prints what is wrong and the usage, and exits with code 2. */
export function usageError(problem: string, usage: string): never {
  console.error(`${problem}\n${usage.trim()}`);
  process.exit(2);
}
