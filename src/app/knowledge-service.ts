/**
 * The /knowledge command's logic, shared by Discord and the console: status, reload, upload,
 * rollback against one server's own knowledge, or against the bundled default (operators only),
 * which is carried to every other shard. Transport-neutral: no discord.js here; the shard fan-out
 * is injected as ShardPeers (src/bot/shards.ts).
 *
 * A server's own knowledge lives in the shard that serves the server, so only a change of the
 * default needs the other shards.
 */
import { basename } from 'node:path';
import type { ServerKnowledge } from '../knowledge/servers.js';
import type { BuildProgress, KnowledgeStore, RefreshResult } from '../knowledge/store.js';
import { fileNameProblem } from '../knowledge/names.js';
import { sizeProblem } from '../knowledge/validate.js';
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

/** Whose knowledge a request acts on: a server's own (by id), or the bundled default. */
export interface KnowledgeScope {
  /** The server's id; null: the bundled default (only for operators: the caller checks). */
  server: string | null;
  /** Told as a long rebuild moves on (the moderator's reply is edited). */
  onProgress?: (progress: BuildProgress) => void;
}

export interface KnowledgeService {
  run(request: KnowledgeRequest, scope: KnowledgeScope): Promise<KnowledgeStatusReply | RefreshReply | NoticeReply>;
}

/**
 * Why an upload named `fileName` of `size` bytes is refused before downloading or reading it,
 * or null when it may go on (the store validates the content itself). The name rule is the
 * store's own (fileNameProblem), so a name the store would refuse is never downloaded.
 */
export function checkUploadCandidate(fileName: string, size: number): string | null {
  return fileNameProblem(basename(fileName)) ?? sizeProblem(size);
}

export function createKnowledgeService(options: {
  servers: ServerKnowledge;
  logger: Logger;
  /** Label of this process's shard(s), e.g. "0" or "console". */
  shardLabel: string;
  /** Absent when this process is the only one (console, or a bot without a ShardingManager). */
  peers?: ShardPeers;
}): KnowledgeService {
  const { servers, peers, shardLabel } = options;
  const log = options.logger.child({ component: 'knowledge-command' });
  const local = (store: KnowledgeStore): ShardKnowledge => ({ shard: shardLabel, status: store.status() });

  /** What the reply says it is about. */
  function scopeLabel(server: string | null): string {
    if (server === null) return 'the bundled default knowledge (shared by every server without its own)';
    return servers.hasOwn(server) ? `this server's own knowledge` : `this server has no knowledge of its own: it uses the bundled default (an upload gives it its own)`;
  }

  /** Every shard after a successful change of the default: they re-read the shared folder. */
  async function spread(result: RefreshResult, store: KnowledgeStore, server: string | null): Promise<ShardKnowledge[]> {
    if (!peers || !result.ok || server !== null) return [local(store)];
    try {
      return await peers.reloadAll(result.by);
    } catch (err) {
      log.error({ err, action: result.action }, 'could not reach the other shards; they pick the change up from the folder watch');
      return [local(store), { shard: 'others', status: null, error: `not reached: ${(err as Error).message}` }];
    }
  }

  async function refreshed(result: RefreshResult, store: KnowledgeStore, server: string | null): Promise<RefreshReply> {
    emitBotEvent('refresh', { ok: result.ok, action: result.action });
    return { kind: 'knowledge-refresh', result, shards: await spread(result, store, server), scope: scopeLabel(server) };
  }

  async function status(server: string | null): Promise<KnowledgeStatusReply> {
    if (server !== null) {
      const own = servers.hasOwn(server) ? await servers.own(server) : servers.defaultStore;
      return { kind: 'knowledge-status', shards: [local(own)], scope: scopeLabel(server) };
    }
    const store = servers.defaultStore;
    if (!peers) return { kind: 'knowledge-status', shards: [local(store)], scope: scopeLabel(null) };
    try {
      return { kind: 'knowledge-status', shards: await peers.statuses(), scope: scopeLabel(null) };
    } catch (err) {
      log.warn({ err }, 'could not fetch the other shards\u2019 status');
      return { kind: 'knowledge-status', shards: [local(store), { shard: 'others', status: null, error: (err as Error).message }], scope: scopeLabel(null) };
    }
  }

  return {
    async run(request, scope) {
      const { server, onProgress } = scope;
      if (request.action === 'status') return status(server);
      const store = server === null ? servers.defaultStore : await servers.own(server);
      switch (request.action) {
        case 'reload':
          return refreshed(await store.reload(request.by, { onProgress }), store, server);
        case 'rollback':
          return refreshed(await store.rollback(request.by, { onProgress }), store, server);
        case 'upload':
          return refreshed(await store.upload(basename(request.fileName), request.bytes, request.by, { onProgress }), store, server);
        case 'refuse-upload':
          // The store never saw this file: it records the refusal (log and audit trail) as its own.
          return refreshed(await store.refuseUpload(request.by, [{ file: basename(request.fileName), reason: request.reason }]), store, server);
        default:
          return notice('error', 'Unknown knowledge action.');
      }
    },
  };
}
