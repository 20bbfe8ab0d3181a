/**
 * The slash commands, one module per command, checked at start with a zod predicate so a broken
 * definition fails loudly at boot (and in CI) instead of at Discord or at the first use.
 *
 * Imported statically rather than read from the folder: the list is short, type-checked, and
 * works the same from TypeScript sources and compiled output.
 */
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { z } from 'zod';
import type { Command } from '../src/bot/context.js';
import * as ask from './ask.js';
import * as knowledge from './knowledge.js';
import * as quote from './quote.js';

export type { Command } from '../src/bot/context.js';

/** Discord's rule for command and option names (lower case in the scripts that have case). */
const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;
const isFunction = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'must be a function' });

interface OptionShape {
  type: number;
  name: string;
  description: string;
  options?: OptionShape[];
}
const optionSchema: z.ZodType<OptionShape> = z.lazy(() =>
  z.looseObject({
    type: z.number().int(),
    name: z.string().regex(NAME, 'must be 1-32 lower-case letters, digits, - or _'),
    description: z.string().min(1).max(100),
    options: z.array(optionSchema).max(25).optional(),
  }),
);

/** What a command module must export. */
export const commandSchema = z
  .object({
    data: z.looseObject({
      name: z.string().regex(NAME, 'must be 1-32 lower-case letters, digits, - or _'),
      description: z.string().min(1).max(100),
      options: z.array(optionSchema).max(25).optional(),
    }),
    execute: isFunction,
    autocomplete: isFunction.optional(),
    buttonPrefix: z.string().regex(/^[a-z]+:$/, 'must be lower-case letters and a colon, e.g. "ask:"').optional(),
    button: isFunction.optional(),
  })
  .refine((c) => (c.buttonPrefix === undefined) === (c.button === undefined), { message: 'buttonPrefix and button come together' });

export const COMMAND_MODULES: readonly unknown[] = [ask, quote, knowledge];

/** The command modules, each checked; throws naming the first bad one. */
export function loadCommands(modules: readonly unknown[] = COMMAND_MODULES): Command[] {
  const names = new Set<string>();
  const prefixes = new Set<string>();
  return modules.map((candidate, i) => {
    const parsed = commandSchema.safeParse(candidate);
    const name = (candidate as { data?: { name?: unknown } } | null)?.data?.name;
    const label = typeof name === 'string' ? `/${name}` : `#${i + 1}`;
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(module)'}: ${issue.message}`).join('; ');
      throw new Error(`command ${label} is invalid: ${issues}`);
    }
    if (names.has(parsed.data.data.name)) throw new Error(`command ${label} is defined twice`);
    names.add(parsed.data.data.name);
    if (parsed.data.buttonPrefix) {
      if (prefixes.has(parsed.data.buttonPrefix)) throw new Error(`command ${label}: button prefix ${parsed.data.buttonPrefix} is taken`);
      prefixes.add(parsed.data.buttonPrefix);
    }
    // The module itself, not zod's copy: handlers keep their identity.
    return candidate as Command;
  });
}

/** The definitions deploy-commands registers. */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return loadCommands().map((c) => c.data);
}
