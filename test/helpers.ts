/** Shared test helpers: the bundled knowledge, built once per test file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatInputCommandInteraction } from 'discord.js';
import { buildKnowledge, type Knowledge } from '../src/engine/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';

export const SEED_FILE = join(PACKAGE_ROOT, 'knowledge', 'article.md');
export const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures');

let seed: Knowledge | undefined;
/** The bundled seed article, built once. */
export function seedKnowledge(): Knowledge {
  seed ??= buildKnowledge([{ name: 'article.md', text: readFileSync(SEED_FILE, 'utf8') }]);
  return seed;
}

export function knowledgeOf(files: Record<string, string>): Knowledge {
  return buildKnowledge(Object.entries(files).map(([name, text]) => ({ name, text })));
}

/** Every attributed statement as "speaker | kind | text". */
export function statements(k: Knowledge): string[] {
  return k.quotes.map((q) => `${k.speakers[q.speaker].name} | ${q.kind} | ${k.documents[q.doc].text.slice(q.start, q.end)}`);
}

/** The speaker of every attributed statement, in reading order. */
export function statementSpeakers(k: Knowledge): string[] {
  return k.quotes.map((q) => k.speakers[q.speaker].name);
}

/** The statements of one article made of `paragraphs` (the first is its title). */
export function articleStatements(paragraphs: string[]): string[] {
  return statements(knowledgeOf({ 'd.txt': paragraphs.join('\n\n') }));
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A minimal slash-command interaction for router tests: its replies are pushed to `sent`. */
export function fakeChatInput(commandName: string, sent: unknown[]): ChatInputCommandInteraction {
  return {
    id: '200000000000000001',
    commandName,
    user: { id: '200000000000000002', username: 'someone' },
    guildId: '200000000000000003',
    channelId: '200000000000000004',
    deferred: false,
    replied: false,
    options: { getSubcommand: () => null },
    isChatInputCommand: () => true,
    isAutocomplete: () => false,
    isButton: () => false,
    isRepliable: () => true,
    reply: async (body: unknown) => void sent.push(body),
  } as unknown as ChatInputCommandInteraction;
}
