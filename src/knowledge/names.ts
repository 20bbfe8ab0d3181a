/**
 * The one rule for knowledge file names, used by the folder listing and by upload alike: a file
 * an upload may write is a file a reload will read, and the reverse.
 */
export const KNOWLEDGE_EXTENSIONS = /\.(md|txt)$/i;
/** Why a file with another extension is refused (by name at upload, and by the file check). */
export const NOT_A_KNOWLEDGE_FILE = 'not a knowledge file: use .md or .txt';
/** Leaves room under the usual 255-byte limit for the history's `<time>-<seq>-` prefix and `.absent`. */
export const MAX_FILE_NAME_BYTES = 200;

/**
 * A Discord id (snowflake: 17-20 digits): a server's, a user's or the application's. The only
 * names a server's own knowledge goes by (its folder under SERVERS_DIR, its key in the database).
 */
export const DISCORD_ID = /^\d{17,20}$/;

/** Whether `id` is a Discord id (DISCORD_ID). */
export function isDiscordId(id: string): boolean {
  return DISCORD_ID.test(id);
}

/** `serverId`, checked to be a server's key (a Discord id) before it names a folder or a database key; throws otherwise. */
export function checkServerId(serverId: string): string {
  if (!isDiscordId(serverId)) throw new Error(`not a server id: ${JSON.stringify(serverId)}`);
  return serverId;
}

/** Hidden files (`.history`, editor swap files) are never knowledge: the listing skips them. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

/** Why `name` (one path segment) cannot be a knowledge file, or null when it can. */
export function fileNameProblem(name: string): string | null {
  if (name === '') return 'the file name is empty';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the file name contains a control character (such as NUL or a tab)';
  if (/[/\\]/.test(name)) return 'the file name contains a path separator (/ or \\)';
  if (isHiddenName(name)) return 'the file name starts with "." (a hidden file): the knowledge folder does not read hidden files';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_FILE_NAME_BYTES) return `the file name is too long: ${bytes} bytes, the limit is ${MAX_FILE_NAME_BYTES}`;
  if (!KNOWLEDGE_EXTENSIONS.test(name)) return NOT_A_KNOWLEDGE_FILE;
  return null;
}
