/**
 * A console line as a command: the same commands as Discord, typed. A line without a leading
 * slash is a question (/ask).
 */
export type ConsoleCommand =
  | { kind: 'empty' }
  | { kind: 'ask'; question: string }
  | { kind: 'more' }
  | { kind: 'quote'; speaker: string }
  | { kind: 'knowledge'; action: 'status' | 'reload' | 'rollback' }
  | { kind: 'knowledge-upload'; path: string }
  | { kind: 'knowledge-usage' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'unknown'; name: string };

export function parseConsoleLine(line: string): ConsoleCommand {
  const text = line.trim();
  if (!text) return { kind: 'empty' };
  if (!text.startsWith('/')) return { kind: 'ask', question: text };
  const match = /^\/(\S*)\s*(.*)$/s.exec(text)!;
  const name = match[1].toLowerCase();
  const rest = match[2].trim();
  switch (name) {
    case 'ask':
      return { kind: 'ask', question: rest };
    case 'more':
      return { kind: 'more' };
    case 'quote':
      return { kind: 'quote', speaker: rest };
    case 'knowledge': {
      const [sub = '', ...args] = rest.split(/\s+/);
      const action = sub.toLowerCase();
      if (action === 'status' || action === 'reload' || action === 'rollback') return { kind: 'knowledge', action };
      if (action === 'upload' && args.length) return { kind: 'knowledge-upload', path: args.join(' ') };
      return { kind: 'knowledge-usage' };
    }
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return { kind: 'unknown', name };
  }
}
