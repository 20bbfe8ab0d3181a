/**
 * The /knowledge command's logic, shared by Discord and the console: status, reload, upload,
 * rollback against the store, and (with shards) carried to every other shard. Transport-neutral:
 * no discord.js here; the shard fan-out is injected as ShardPeers (src/bot/shards.ts).
 */
import { basename } from 'node:path';
import type { KnowledgeStore, RefreshResult } from '../knowledge/store.js';
import { KNOWLEDGE_EXTENSIONS, MAX_KNOWLEDGE_FILE_BYTES } from '../knowledge/validate.js';
import type { Logger } from '../log.js';
import { emitBotEvent } from './events.js';
import { notice, type KnowledgeStatusReply, type NoticeReply, type RefreshReply, type ShardKnowledge } from './replies.js';

/** The other shard processes, reached through the ShardingManager. */
export interface ShardPeers {
  /** Every shard's status (this one included). */
  statuses(): Promise<ShardKnowledge[]>;
  /** Makes every shard re-read the shared knowledge folder; returns where each stands after. */
  reloadAll(by: string): Promise<ShardKnowledge[]>;
}

export type KnowledgeRequest =
  | { action: 'status' }
  | { action: 'reload' | 'rollback'; by: string }
  | { action: 'upload'; fileName: string; bytes: Uint8Array; by: string }
  /** An upload refused before the store saw it (wrong type, too big, download refused). */
  | { action: 'refuse-upload'; fileName: string; reason: string; by: string };

export interface KnowledgeService {
  run(request: KnowledgeRequest): Promise<KnowledgeStatusReply | RefreshReply | NoticeReply>;
}

/**
 * Why an upload named `fileName` of `size` bytes is refused before downloading or reading it,
 * or null when it may go on (the store validates the content itself).
 */
export function checkUploadCandidate(fileName: string, size: number): string | null {
  if (!KNOWLEDGE_EXTENSIONS.test(fileName)) return 'not a knowledge file: use .md or .txt';
  if (size > MAX_KNOWLEDGE_FILE_BYTES) return `too large: ${size} bytes, the limit is ${MAX_KNOWLEDGE_FILE_BYTES} bytes (5 MB)`;
  if (size === 0) return 'empty: the file has no text';
  return null;
}

export function createKnowledgeService(options: {
  store: KnowledgeStore;
  logger: Logger;
  /** Label of this process's shard(s), e.g. "0" or "console". */
  shardLabel: string;
  /** Absent when this process is the only one (console, or a bot without a ShardingManager). */
  peers?: ShardPeers;
}): KnowledgeService {
  const { store, peers, shardLabel } = options;
  const log = options.logger.child({ component: 'knowledge-command' });
  const local = (): ShardKnowledge => ({ shard: shardLabel, status: store.status() });

  /** Every shard after a successful refresh here: they re-read the shared folder. */
  async function spread(result: RefreshResult): Promise<ShardKnowledge[]> {
    if (!peers || !result.ok) return [local()];
    try {
      return await peers.reloadAll(result.by);
    } catch (err) {
      log.error({ err, action: result.action }, 'could not reach the other shards; they pick the change up from the folder watch');
      return [local(), { shard: 'others', status: null, error: `not reached: ${(err as Error).message}` }];
    }
  }

  async function refreshed(result: RefreshResult): Promise<RefreshReply> {
    emitBotEvent('refresh', { ok: result.ok, action: result.action });
    return { kind: 'knowledge-refresh', result, shards: await spread(result) };
  }

  return {
    async run(request) {
      switch (request.action) {
        case 'status': {
          if (!peers) return { kind: 'knowledge-status', shards: [local()] };
          try {
            return { kind: 'knowledge-status', shards: await peers.statuses() };
          } catch (err) {
            log.warn({ err }, 'could not fetch the other shards\u2019 status');
            return { kind: 'knowledge-status', shards: [local(), { shard: 'others', status: null, error: (err as Error).message }] };
          }
        }
        case 'reload':
          return refreshed(await store.reload(request.by));
        case 'rollback':
          return refreshed(await store.rollback(request.by));
        case 'upload':
          return refreshed(await store.upload(basename(request.fileName), request.bytes, request.by));
        case 'refuse-upload': {
          const version = store.status().version;
          const file = basename(request.fileName);
          const refused = [{ file, reason: request.reason }];
          // The store never saw this file, so the audit record is written here.
          log.warn({ audit: true, action: 'upload', by: request.by, before: version, refused }, 'knowledge upload refused');
          return refreshed({
            ok: false,
            action: 'upload',
            by: request.by,
            before: version,
            after: version,
            refused,
            message: `refused: ${file}: ${request.reason}. The knowledge in service is unchanged (version ${version}).`,
          });
        }
        default:
          return notice('error', 'Unknown knowledge action.');
      }
    },
  };
}
