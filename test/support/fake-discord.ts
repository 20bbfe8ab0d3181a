/**
 * Loopback stand-in for Discord's REST API, gateway and attachment CDN, good enough to drive the
 * real discord.js v14 `Client` (and @discordjs/rest / @discordjs/ws underneath) on 127.0.0.1.
 *
 * Why a stand-in and not mocks: the bot's wiring (login, READY/GUILD_CREATE ordering, interaction
 * classes, reply/defer/edit REST calls, reconnects) lives in discord.js and only runs against
 * something that speaks the wire protocol. Tests never reach discord.com.
 *
 * Usage (in-process):
 *   const discord = await startFakeDiscord();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiBase } });
 *   await client.login(discord.token);
 *   const sent = discord.sendCommand({ name: 'ask', options: [{ type: 3, name: 'q', value: 'hi' }] });
 *   const callback = await sent.waitForCallback();
 *
 * Usage (bot as a child process): pass DISCORD_API_BASE=discord.apiBase and DISCORD_TOKEN=discord.token
 * and have the bot build its Client with `rest: { api: process.env.DISCORD_API_BASE }`. The gateway
 * address is not configured anywhere: discord.js takes it from GET /gateway/bot, which answers with
 * this server's ws:// URL.
 *
 * Protocol notes (from @discordjs/ws 1.x and discord.js 14.x sources):
 * - Only uncompressed JSON gateway frames are spoken. discord.js asks for zlib-stream only when the
 *   optional `zlib-sync` package is installed; keep it uninstalled.
 * - The client is "ready" only after a GUILD_CREATE for every guild READY listed as unavailable, so
 *   GUILD_CREATE follows READY immediately; otherwise discord.js would wait `waitGuildTimeout` (15 s).
 * - @discordjs/ws lets a shard identify at most once per 5 s per concurrency bucket
 *   (shardId % max_concurrency), so /gateway/bot advertises max_concurrency 16 to let several shards
 *   start together. A re-identify of the same shard within 5 s of its last one still waits ~5-6.5 s.
 * - A dropped socket is resumed (RESUME, replay, RESUMED) for close codes such as 4000 or an abrupt
 *   TCP close; close code 1000 or an unknown session makes the client identify again.
 */
import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayOpcodes,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  type APIAllowedMentions,
  type ApplicationFlags,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type RoleFlags,
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOptionChoice,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
  type APIEmbed,
  type APIGuildMember,
  type APIGuildTextChannel,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIRole,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayIdentifyData,
  type GatewayReadyDispatchData,
  type GatewayResumeData,
} from 'discord.js';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { waitForChange } from './wait.js';

export interface FakeDiscordOptions {
  /** Bot token the stand-in accepts (REST `Authorization: Bot <token>` and gateway IDENTIFY). */
  token?: string;
  /** Application id, also the bot user's id. Generated when absent. */
  applicationId?: string;
  /** Id of the one guild the bot is in. Generated when absent. */
  guildId?: string;
  /** Shard count recommended by GET /gateway/bot; discord.js uses it when `shards` is 'auto'. Default 1. */
  shards?: number;
  /** heartbeat_interval sent in HELLO. Default 41250 like Discord; lower it to exercise heartbeats. */
  heartbeatIntervalMs?: number;
  /**
   * When set, an initial interaction callback arriving more than this many ms after the interaction
   * was dispatched is refused like Discord does after 3 s (404, code 10062 "Unknown interaction").
   * Off by default so slow CI machines do not turn into flaky tests; the delay is always recorded.
   */
  callbackDeadlineMs?: number;
  /**
   * Deliver interactions the way Discord does to an Interactions Endpoint URL instead of over the
   * gateway: a POST to `url` signed with `privateKey` (Ed25519 over timestamp + body). The HTTP
   * response is recorded as the interaction's callback; edits and follow-ups still come by REST.
   */
  httpDelivery?: { url: string; privateKey: KeyObject };
}

/** A REST request as the stand-in received it. */
export interface RecordedRequest {
  method: string;
  /** Full path, e.g. `/api/v10/users/@me`. */
  path: string;
  /** Path after the `/api/vN` prefix, URL-decoded, e.g. `/webhooks/1/tok/messages/@original`. */
  route: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body; for multipart requests the parsed `payload_json` part; undefined when empty. */
  body: unknown;
  /** File parts of a multipart request. */
  files: CapturedFile[];
  /** The body as text (multipart included), for assertions the parsed form cannot express. */
  rawBody: string;
}

export interface CapturedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Message JSON a bot sends (callback data, edits, follow-ups): common fields typed, the rest open. */
export interface SentMessageBody {
  content?: string;
  flags?: number;
  embeds?: APIEmbed[];
  components?: APIMessage['components'];
  allowed_mentions?: APIAllowedMentions;
  attachments?: { id: string | number; filename?: string; description?: string }[];
  /** Autocomplete results (callback type 8). */
  choices?: APIApplicationCommandOptionChoice[];
  [key: string]: unknown;
}

/** The bot's initial response to an interaction (POST /interactions/:id/:token/callback). */
export interface CapturedCallback {
  type: InteractionResponseType;
  data: SentMessageBody;
  files: CapturedFile[];
  /** Milliseconds between dispatching the interaction and receiving this callback. */
  elapsedMs: number;
}

/** A later write through the interaction webhook: an edit or a follow-up message. */
export interface CapturedMessageWrite {
  /** `@original` or the follow-up message id for edits; the new message id for follow-ups. */
  messageId: string;
  body: SentMessageBody;
  files: CapturedFile[];
  elapsedMs: number;
  /** The message as Discord would show it after this write. */
  message: APIMessage;
}

/** Everything the bot did in answer to one dispatched interaction. */
export interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionType;
  /** The INTERACTION_CREATE payload as dispatched. */
  payload: APIInteraction;
  callback?: CapturedCallback;
  /** PATCH /webhooks/:appId/:token/messages/:messageId, in arrival order. */
  edits: CapturedMessageWrite[];
  /** POST /webhooks/:appId/:token, in arrival order. */
  followUps: CapturedMessageWrite[];
  /** Message ids deleted through the webhook (`@original` or follow-up ids). */
  deletions: string[];
  /** Current state of the `@original` response message, once there is one. */
  original?: APIMessage;
  /** performance.now() when the interaction was dispatched (queued, if the socket was down). */
  dispatchedAt: number;
  /** With `httpDelivery`: the status of the bot's HTTP response (its body is the callback when 200). */
  httpStatus?: number;
}

/** What sendCommand/sendAutocomplete/sendButton return. */
export interface SentInteraction {
  id: string;
  token: string;
  /** Resolves with the bot's initial callback; rejects after timeoutMs (default 5000). */
  waitForCallback(timeoutMs?: number): Promise<CapturedCallback>;
}

export interface InteractionInput {
  /** Guild the interaction comes from: defaults to the fake guild; `null` makes it a DM. */
  guildId?: string | null;
  /** Defaults to the guild's text channel (or the DM channel). */
  channelId?: string;
  /** Invoking guild member; defaults to `discord.plainMember`. */
  member?: APIInteractionGuildMember;
  /** Invoking user: replaces `member.user` in a guild, or is the DM user. */
  user?: APIUser;
  /** Interaction locale; default 'en-US'. */
  locale?: `${Locale}`;
}

export interface CommandInput extends InteractionInput {
  name: string;
  /**
   * Options in Discord's shape (`{ type, name, value }`, subcommands with nested `options`).
   * An attachment option (type 11) may carry as `value` either the URL returned by
   * `serveAttachment` or that attachment's id; the payload always carries the id, and
   * `data.resolved.attachments[id]` is filled in.
   */
  options?: APIApplicationCommandInteractionDataOption[];
  /** Extra resolved data (users, members, roles, channels) merged into `data.resolved`. */
  resolved?: APIInteractionDataResolved;
}

export interface ButtonInput extends InteractionInput {
  customId: string;
  /** Message the button sits on; defaults to a bot message with that one button. */
  message?: APIMessage;
}

export interface AttachmentFetch {
  /** The URL as requested (its host is the Host header the client sent). */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** True once the whole body has been handed to the socket (a delayed file is pending until then). */
  completed: boolean;
}

export interface ServeOptions {
  /** Wait this long before answering a GET of the file, to keep a download in flight. */
  delayMs?: number;
  /**
   * Host name the URL carries instead of 127.0.0.1, e.g. 'localhost': still this server (so a
   * fetch would be recorded), but a host an allowlist of '127.0.0.1' does not name.
   */
  host?: string;
}

/** One PUT of application commands. */
export interface CommandRegistration {
  /** `null` for global commands. */
  guildId: string | null;
  commands: unknown[];
}

interface DispatchFrame {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

/** A gateway session: survives its socket so a RESUME can replay what the client missed. */
interface GatewaySession {
  id: string;
  shardId: number;
  seq: number;
  log: DispatchFrame[];
  socket: WebSocket | null;
}

interface RouteResult {
  status: number;
  body?: unknown;
}

type RouteHandler = (request: RecordedRequest, params: string[]) => RouteResult;

interface Route {
  method: string;
  pattern: RegExp;
  /** Interaction callbacks and webhooks authenticate by their token in the URL, not the bot token. */
  botAuth: boolean;
  handle: RouteHandler;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeIncrement = 0n;

/** Ids with a real timestamp part so discord.js's `createdAt` and shard math behave. */
function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeIncrement).toString();
}

/** Discord's sharding formula. */
export function shardForGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

function apiError(status: number, message: string, code: number): RouteResult {
  return { status, body: { message, code } };
}

const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands;

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  /** The guild's text channel, where interactions happen by default. */
  readonly channelId: string;
  readonly botUser: APIUser;
  /** Member whose interaction permissions are ManageGuild only (no Administrator). */
  readonly moderator: APIInteractionGuildMember;
  /** Member with interaction permissions '0'. Default invoker of interactions. */
  readonly plainMember: APIInteractionGuildMember;

  /** IDENTIFY payloads, in arrival order. */
  readonly identifies: GatewayIdentifyData[] = [];
  /** RESUME payloads that were accepted, in arrival order. */
  readonly resumes: GatewayResumeData[] = [];
  /** Request URL of every gateway connection (shows `v` and `encoding`). */
  readonly gatewayConnects: string[] = [];
  /** Every /api request. */
  readonly requests: RecordedRequest[] = [];
  /** Requests answered 404: no such route (`code: 0`) or an unknown channel/guild/interaction/webhook. */
  readonly unknownRequests: RecordedRequest[] = [];
  readonly registeredCommands: CommandRegistration[] = [];
  /** Messages posted with POST /channels/:id/messages. */
  readonly channelMessages: APIMessage[] = [];
  /** Every GET of a served attachment. */
  readonly attachmentFetches: AttachmentFetch[] = [];

  private readonly options: FakeDiscordOptions;
  private readonly server = http.createServer();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly events = new EventEmitter();
  private readonly dmChannelId = snowflake();
  private readonly ownerId = snowflake();
  private readonly moderatorRoleId = snowflake();
  private readonly botRoleId = snowflake();
  private readonly routes: Route[];
  private readonly sessions = new Map<string, GatewaySession>();
  /** Latest session per shard id: where dispatches for that shard go. */
  private readonly shardSessions = new Map<number, GatewaySession>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly interactionsByToken = new Map<string, InteractionRecord>();
  private readonly commands = new Map<string | null, APIApplicationCommand[]>();
  private readonly served = new Map<string, { attachment: APIAttachment; body: Buffer; delayMs: number }>();
  private heartbeatCount = 0;
  private origin = '';

  private constructor(options: FakeDiscordOptions) {
    this.options = options;
    this.applicationId = options.applicationId ?? snowflake();
    this.guildId = options.guildId ?? snowflake();
    this.channelId = snowflake();
    this.token = options.token ?? `${Buffer.from(this.applicationId).toString('base64url')}.fake.not-a-real-token`;
    this.botUser = {
      id: this.applicationId,
      username: 'FakeBot',
      discriminator: '0',
      global_name: null,
      avatar: null,
      bot: true,
    };
    this.moderator = this.interactionMember('moderator', PermissionFlagsBits.ManageGuild, [this.moderatorRoleId]);
    this.plainMember = this.interactionMember('member', 0n, []);
    this.routes = this.buildRoutes();
    // Every waitFor*/waitUntil in flight listens for changes: hundreds at once under load.
    this.events.setMaxListeners(0);
    // Each handler is wrapped so a bug here answers 500 instead of killing the test process.
    this.server.on('request', (req, res) => {
      this.onRequest(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error), code: 0 }));
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGatewayConnection(ws, req.url ?? '/'));
    });
  }

  /** Starts a stand-in on 127.0.0.1 with an ephemeral port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const discord = new FakeDiscord(options);
    await new Promise<void>((resolve, reject) => {
      discord.server.once('error', reject);
      discord.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = discord.server.address() as AddressInfo;
    discord.origin = `http://127.0.0.1:${port}`;
    return discord;
  }

  /** REST base for `new Client({ rest: { api } })` or `new REST({ api })`. */
  get apiBase(): string {
    return `${this.origin}/api`;
  }

  /** Base URL of served attachments. */
  get cdnBase(): string {
    return `${this.origin}/attachments`;
  }

  /** The gateway URL handed out by GET /gateway/bot (also used as resume_gateway_url). */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Heartbeats (op 1) received and acknowledged. */
  get heartbeats(): number {
    return this.heartbeatCount;
  }

  /** Hosts a file the bot may download (e.g. an attachment option); returns its URL. */
  serveAttachment(name: string, body: Buffer, contentType = 'application/octet-stream', options: ServeOptions = {}): string {
    return this.hostFile(this.channelId, name, body, contentType, options).url;
  }

  /** Resolves with the count-th IDENTIFY once READY (and GUILD_CREATE) went out for it. */
  waitForIdentify(timeoutMs = 5000, count = 1): Promise<GatewayIdentifyData> {
    return this.waitUntil(() => this.identifies[count - 1], timeoutMs, `IDENTIFY #${count}`);
  }

  /** Resolves with the count-th accepted RESUME once the replay and RESUMED went out. */
  waitForResume(timeoutMs = 5000, count = 1): Promise<GatewayResumeData> {
    return this.waitUntil(() => this.resumes[count - 1], timeoutMs, `RESUME #${count}`);
  }

  /** What the bot has sent back for one interaction so far. */
  interactionResponses(id: string): InteractionRecord {
    const record = this.interactions.get(id);
    if (!record) throw new Error(`fake-discord: no interaction ${id} was dispatched`);
    return record;
  }

  /** Resolves with the interaction's initial callback. */
  waitForResponse(id: string, timeoutMs = 5000): Promise<CapturedCallback> {
    const record = this.interactionResponses(id);
    return this.waitUntil(() => record.callback, timeoutMs, `the callback of interaction ${id}`);
  }

  /** Resolves with the count-th edit (PATCH of @original or a follow-up) of the interaction. */
  waitForEdit(id: string, timeoutMs = 5000, count = 1): Promise<CapturedMessageWrite> {
    const record = this.interactionResponses(id);
    return this.waitUntil(() => record.edits[count - 1], timeoutMs, `edit #${count} of interaction ${id}`);
  }

  /** Resolves with the first edit of the interaction's reply that `match` accepts (progress edits come before the final one). */
  waitForEditMatching(id: string, match: (edit: CapturedMessageWrite) => boolean, timeoutMs = 5000): Promise<CapturedMessageWrite> {
    const record = this.interactionResponses(id);
    return this.waitUntil(() => record.edits.find(match), timeoutMs, `a matching edit of interaction ${id}`);
  }

  /** Resolves with the count-th follow-up message of the interaction. */
  waitForFollowUp(id: string, timeoutMs = 5000, count = 1): Promise<CapturedMessageWrite> {
    const record = this.interactionResponses(id);
    return this.waitUntil(() => record.followUps[count - 1], timeoutMs, `follow-up #${count} of interaction ${id}`);
  }

  /**
   * Resolves with the first non-undefined result of `check`, re-evaluated after everything the
   * stand-in records (requests, callbacks, identifies, ...); rejects after timeoutMs.
   */
  waitUntil<T>(check: () => T | undefined, timeoutMs: number, description: string): Promise<T> {
    return waitForChange(this.events, check, timeoutMs, () => new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${description}`));
  }

  /** Dispatches a slash command (INTERACTION_CREATE, type 2 APPLICATION_COMMAND, chat input). */
  sendCommand(input: CommandInput): SentInteraction {
    const envelope = this.envelope(input);
    const payload: APIChatInputApplicationCommandInteraction = {
      ...envelope,
      type: InteractionType.ApplicationCommand,
      data: this.commandData(input, envelope.guild_id),
    };
    return this.dispatchInteraction(payload);
  }

  /** Dispatches an autocomplete request (type 4); mark the option being typed with `focused: true`. */
  sendAutocomplete(input: CommandInput): SentInteraction {
    const envelope = this.envelope(input);
    const data = this.commandData(input, envelope.guild_id);
    const payload: APIApplicationCommandAutocompleteInteraction = {
      ...envelope,
      type: InteractionType.ApplicationCommandAutocomplete,
      data: { ...data, options: data.options ?? [] },
    };
    return this.dispatchInteraction(payload);
  }

  /** Dispatches a button press (type 3 MESSAGE_COMPONENT, component_type 2). */
  sendButton(input: ButtonInput): SentInteraction {
    const envelope = this.envelope(input);
    const channelId = envelope.channel.id;
    const message =
      input.message ??
      this.newMessage({
        channelId,
        guildId: envelope.guild_id,
        type: MessageType.Default,
        body: {
          content: '',
          components: [
            {
              type: ComponentType.ActionRow,
              components: [
                {
                  type: ComponentType.Button,
                  style: ButtonStyle.Primary,
                  custom_id: input.customId,
                  label: input.customId,
                },
              ],
            },
          ],
        },
        files: [],
      });
    const payload: APIMessageComponentButtonInteraction = {
      ...envelope,
      channel_id: channelId,
      type: InteractionType.MessageComponent,
      data: { custom_id: input.customId, component_type: ComponentType.Button },
      message,
    };
    return this.dispatchInteraction(payload);
  }

  /**
   * Sends any gateway dispatch (e.g. MESSAGE_CREATE) to the session of `shardId`. If that shard's
   * socket is down the event waits in the session log and is replayed on RESUME (lost if the
   * client identifies anew, as on Discord).
   */
  dispatchEvent(t: string, d: unknown, shardId = 0): void {
    const session = this.shardSessions.get(shardId);
    if (!session) {
      throw new Error(`fake-discord: shard ${shardId} has no gateway session; await waitForIdentify() first`);
    }
    this.dispatchOn(session, t, d);
  }

  /**
   * Closes gateway sockets abruptly: `code` 1006 terminates the TCP connection without a close
   * frame, any other code is sent as the close code (4000 makes discord.js resume, 1000 makes it
   * identify anew). Drops every shard unless `shardId` is given. Returns the number dropped.
   */
  dropConnection(code = 4000, shardId?: number): number {
    let dropped = 0;
    for (const session of this.shardSessions.values()) {
      const socket = session.socket;
      if (!socket || (shardId !== undefined && session.shardId !== shardId)) continue;
      // Detach first so dispatches from now on are queued for the replay, not written to a dying socket.
      session.socket = null;
      if (code === 1006) socket.terminate();
      else socket.close(code, 'dropped by fake-discord');
      dropped += 1;
    }
    return dropped;
  }

  /** Stops the HTTP and WebSocket servers, cutting every open connection. */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    // undici keeps REST connections alive; without this server.close() would wait for them.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- gateway

  private onGatewayConnection(socket: WebSocket, url: string): void {
    this.gatewayConnects.push(url);
    let session: GatewaySession | null = null;
    this.send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? 41_250 },
      s: null,
      t: null,
    });
    socket.on('message', (raw: RawData) => {
      const frame = parseFrame(raw);
      if (!frame) {
        socket.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
        return;
      }
      switch (frame.op) {
        case GatewayOpcodes.Heartbeat:
          this.heartbeatCount += 1;
          this.send(socket, { op: GatewayOpcodes.HeartbeatAck });
          this.changed();
          break;
        case GatewayOpcodes.Identify:
          if (session) socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
          else session = this.identify(socket, frame.d as GatewayIdentifyData);
          break;
        case GatewayOpcodes.Resume:
          if (session) socket.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
          else session = this.resume(socket, frame.d as GatewayResumeData);
          break;
        default:
          // Presence/voice updates and member requests are accepted and ignored.
          break;
      }
    });
    socket.on('close', () => {
      if (session?.socket === socket) session.socket = null;
    });
  }

  private identify(socket: WebSocket, data: GatewayIdentifyData): GatewaySession | null {
    if (data.token !== this.token) {
      socket.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return null;
    }
    const [shardId, shardCount] = data.shard ?? [0, 1];
    if (shardId >= shardCount) {
      socket.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
      return null;
    }
    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      shardId,
      seq: 0,
      log: [],
      socket,
    };
    this.sessions.set(session.id, session);
    this.shardSessions.set(shardId, session);
    const hasGuild = shardForGuild(this.guildId, shardCount) === shardId;
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...this.botUser, verified: true, mfa_enabled: false },
      guilds: hasGuild ? [{ id: this.guildId, unavailable: true }] : [],
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard: [shardId, shardCount],
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.dispatchOn(session, GatewayDispatchEvents.Ready, ready);
    if (hasGuild) this.dispatchOn(session, GatewayDispatchEvents.GuildCreate, this.guildCreatePayload());
    this.identifies.push(data);
    this.changed();
    return session;
  }

  private resume(socket: WebSocket, data: GatewayResumeData): GatewaySession | null {
    const session = this.sessions.get(data.session_id);
    if (!session || data.token !== this.token || data.seq > session.seq) {
      // d: false tells the client the session cannot be resumed: it identifies anew.
      this.send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
      return null;
    }
    session.socket = socket;
    for (const frame of session.log) if (frame.s > data.seq) this.send(socket, frame);
    this.dispatchOn(session, GatewayDispatchEvents.Resumed, {});
    this.resumes.push(data);
    this.changed();
    return session;
  }

  private dispatchOn(session: GatewaySession, t: string, d: unknown): void {
    session.seq += 1;
    const frame: DispatchFrame = { op: GatewayOpcodes.Dispatch, t, s: session.seq, d };
    session.log.push(frame);
    if (session.socket) this.send(session.socket, frame);
  }

  private send(socket: WebSocket, payload: object): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  private changed(): void {
    this.events.emit('change');
  }

  // ---------------------------------------------------------------- fixtures

  private interactionMember(username: string, permissions: bigint, roles: string[]): APIInteractionGuildMember {
    return {
      user: {
        id: snowflake(),
        username,
        discriminator: '0',
        global_name: username,
        avatar: null,
      },
      nick: null,
      avatar: null,
      banner: null,
      roles,
      joined_at: new Date().toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
      permissions: permissions.toString(),
    };
  }

  private textChannel(): APIGuildTextChannel<ChannelType.GuildText> {
    return {
      id: this.channelId,
      type: ChannelType.GuildText,
      guild_id: this.guildId,
      name: 'general',
      position: 0,
      permission_overwrites: [],
      topic: null,
      nsfw: false,
      last_message_id: null,
      rate_limit_per_user: 0,
      parent_id: null,
    };
  }

  private role(id: string, name: string, position: number, permissions: bigint, botId?: string): APIRole {
    return {
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions: permissions.toString(),
      managed: botId !== undefined,
      mentionable: false,
      flags: 0 as RoleFlags,
      ...(botId === undefined ? {} : { tags: { bot_id: botId } }),
    };
  }

  /**
   * The guild as GUILD_CREATE delivers it. Cached permissions agree with interaction permissions:
   * @everyone has none, the moderator's role adds ManageGuild, the bot's managed role adds what it
   * needs to answer; the owner is a user who is neither of the two test members.
   */
  private guildCreatePayload(): GatewayGuildCreateDispatchData {
    const { permissions: _moderatorPermissions, ...moderator } = this.moderator;
    const { permissions: _plainPermissions, ...plain } = this.plainMember;
    const botMember: APIGuildMember = { ...plain, user: this.botUser, roles: [this.botRoleId] };
    return {
      id: this.guildId,
      name: 'Fake Guild',
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: this.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      hub_type: null,
      incidents_data: null,
      emojis: [],
      stickers: [],
      roles: [
        this.role(this.guildId, '@everyone', 0, 0n),
        this.role(this.moderatorRoleId, 'Moderator', 1, PermissionFlagsBits.ManageGuild),
        this.role(this.botRoleId, 'FakeBot', 2, BOT_PERMISSIONS, this.applicationId),
      ],
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 3,
      members: [botMember, moderator, plain],
      channels: [this.textChannel()],
      threads: [],
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---------------------------------------------------------------- interactions

  /** Fields common to every interaction type, for a guild or a DM. */
  private envelope(input: InteractionInput) {
    const guildId = input.guildId === undefined ? this.guildId : input.guildId;
    const locale = (input.locale ?? Locale.EnglishUS) as Locale;
    const common = {
      id: snowflake(),
      application_id: this.applicationId,
      token: randomBytes(48).toString('base64url'),
      version: 1 as const,
      app_permissions: BOT_PERMISSIONS.toString(),
      locale,
      entitlements: [],
      attachment_size_limit: 25 * 1024 * 1024,
    };
    if (guildId === null) {
      const user = input.user ?? this.plainMember.user;
      const channel = { id: input.channelId ?? this.dmChannelId, type: ChannelType.DM as const, recipients: [user] };
      return {
        ...common,
        guild_id: undefined,
        user,
        channel,
        channel_id: channel.id,
        context: InteractionContextType.BotDM,
        authorizing_integration_owners: { 0: '0' },
      };
    }
    const base = input.member ?? this.plainMember;
    const member = input.user ? { ...base, user: input.user } : base;
    const channel = { ...this.textChannel(), id: input.channelId ?? this.channelId, guild_id: guildId };
    return {
      ...common,
      guild_id: guildId,
      guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
      guild_locale: Locale.EnglishUS,
      member,
      channel,
      channel_id: channel.id,
      context: InteractionContextType.Guild,
      authorizing_integration_owners: { 0: guildId },
    };
  }

  private commandData(input: CommandInput, guildId: string | undefined) {
    const registered =
      this.commands.get(guildId ?? null)?.find((command) => command.name === input.name) ??
      this.commands.get(null)?.find((command) => command.name === input.name);
    const attachments: Record<string, APIAttachment> = {};
    const options = input.options?.map((option) => this.resolveAttachments(option, attachments));
    const resolved: APIInteractionDataResolved = { ...input.resolved };
    if (Object.keys(attachments).length > 0) resolved.attachments = { ...resolved.attachments, ...attachments };
    return {
      id: registered?.id ?? snowflake(),
      name: input.name,
      type: ApplicationCommandType.ChatInput as const,
      ...(registered?.guild_id ? { guild_id: registered.guild_id } : {}),
      ...(options ? { options } : {}),
      ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    };
  }

  /** Swaps an attachment option's served URL (or id) for the id and collects its resolved object. */
  private resolveAttachments<T extends APIApplicationCommandInteractionDataOption>(
    option: T,
    into: Record<string, APIAttachment>,
  ): T {
    if ('options' in option && option.options) {
      return { ...option, options: option.options.map((child) => this.resolveAttachments(child, into)) };
    }
    if (option.type !== ApplicationCommandOptionType.Attachment) return option;
    const value = String(option.value);
    const file = [...this.served.values()].find(
      ({ attachment }) => attachment.url === value || attachment.id === value,
    );
    if (!file) throw new Error(`fake-discord: attachment option ${option.name} names no served attachment: ${value}`);
    into[file.attachment.id] = file.attachment;
    return { ...option, value: file.attachment.id };
  }

  private dispatchInteraction(payload: APIInteraction): SentInteraction {
    const record: InteractionRecord = {
      id: payload.id,
      token: payload.token,
      type: payload.type,
      payload,
      edits: [],
      followUps: [],
      deletions: [],
      dispatchedAt: performance.now(),
    };
    if (this.options.httpDelivery) {
      this.interactions.set(record.id, record);
      this.interactionsByToken.set(record.token, record);
      void this.postInteraction(record, this.options.httpDelivery);
      return { id: record.id, token: record.token, waitForCallback: (timeoutMs = 5000) => this.waitForResponse(record.id, timeoutMs) };
    }
    // Route like Discord: a guild's events go to shard (guild_id >> 22) % shard count, DMs to shard 0.
    const shardCount = this.identifies.at(-1)?.shard?.[1] ?? 1;
    const shardId = payload.guild_id ? shardForGuild(payload.guild_id, shardCount) : 0;
    this.dispatchEvent(GatewayDispatchEvents.InteractionCreate, payload, shardId);
    // Registering after the send is safe: the bot's answer cannot be handled before we return.
    this.interactions.set(record.id, record);
    this.interactionsByToken.set(record.token, record);
    return {
      id: record.id,
      token: record.token,
      waitForCallback: (timeoutMs = 5000) => this.waitForResponse(record.id, timeoutMs),
    };
  }

  /** Posts a signed interaction to the bot's endpoint, as Discord does; the answer is the callback. */
  private async postInteraction(record: InteractionRecord, delivery: NonNullable<FakeDiscordOptions['httpDelivery']>): Promise<void> {
    const body = JSON.stringify(record.payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), delivery.privateKey).toString('hex');
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
        body,
      });
      record.httpStatus = res.status;
      const text = await res.text();
      if (res.status === 200 && !record.callback) {
        const { type, data = {} } = JSON.parse(text) as { type: InteractionResponseType; data?: SentMessageBody };
        this.recordCallback(record, type, data, []);
      }
    } catch {
      record.httpStatus = 0;
    }
    this.changed();
  }

  // ---------------------------------------------------------------- messages & files

  private hostFile(channelId: string, name: string, body: Buffer, contentType: string, options: ServeOptions = {}): APIAttachment {
    const id = snowflake();
    const path = `/attachments/${channelId}/${id}/${encodeURIComponent(name)}`;
    const origin = options.host ? `http://${options.host}:${(this.server.address() as AddressInfo).port}` : this.origin;
    const url = `${origin}${path}`;
    const attachment: APIAttachment = {
      id,
      filename: name,
      size: body.length,
      url,
      proxy_url: url,
      content_type: contentType,
    };
    this.served.set(path, { attachment, body, delayMs: options.delayMs ?? 0 });
    return attachment;
  }

  private newMessage(spec: {
    channelId: string;
    guildId: string | undefined;
    type: MessageType;
    body: SentMessageBody;
    files: CapturedFile[];
    webhook?: boolean;
  }): APIMessage {
    const { body } = spec;
    return {
      id: snowflake(),
      channel_id: spec.channelId,
      ...(spec.guildId ? { guild_id: spec.guildId } : {}),
      author: this.botUser,
      content: body.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: spec.files.map((file) =>
        this.hostFile(spec.channelId, file.filename, file.data, file.contentType),
      ),
      embeds: body.embeds ?? [],
      components: (body.components ?? []) as APIMessage['components'],
      pinned: false,
      type: spec.type,
      flags: body.flags ?? 0,
      ...(spec.webhook ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
    };
  }

  /** Applies an edit like Discord: given fields replace, `attachments` lists which old files stay. */
  private editMessage(message: APIMessage, body: SentMessageBody, files: CapturedFile[]): APIMessage {
    const keep = body.attachments?.map((attachment) => String(attachment.id));
    const kept = keep ? message.attachments.filter((attachment) => keep.includes(attachment.id)) : message.attachments;
    return {
      ...message,
      content: body.content ?? message.content,
      embeds: body.embeds ?? message.embeds,
      components: (body.components ?? message.components) as APIMessage['components'],
      attachments: [
        ...kept,
        ...files.map((file) => this.hostFile(message.channel_id, file.filename, file.data, file.contentType)),
      ],
      // An edit of a deferred reply turns the "thinking..." placeholder into the message.
      flags: (body.flags ?? message.flags ?? 0) & ~MessageFlags.Loading,
      edited_timestamp: new Date().toISOString(),
    };
  }

  private responseMessage(record: InteractionRecord, body: SentMessageBody, files: CapturedFile[]): APIMessage {
    return this.newMessage({
      channelId: record.payload.channel?.id ?? this.channelId,
      guildId: record.payload.guild_id,
      type: record.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      body,
      files,
      webhook: true,
    });
  }

  // ---------------------------------------------------------------- REST

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.origin);
    const method = req.method ?? 'GET';

    const file = this.served.get(url.pathname);
    if (file && method === 'GET') {
      const fetched: AttachmentFetch = {
        url: req.headers.host ? `http://${req.headers.host}${req.url ?? '/'}` : url.href,
        headers: req.headers,
        completed: false,
      };
      this.attachmentFetches.push(fetched);
      this.changed();
      if (file.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, file.delayMs));
      res.writeHead(200, { 'content-type': file.attachment.content_type, 'content-length': file.body.length });
      res.end(file.body, () => {
        fetched.completed = true;
        this.changed();
      });
      return;
    }

    const prefix = /^\/api\/v\d+(\/.*)$/.exec(url.pathname);
    const request: RecordedRequest = {
      method,
      path: url.pathname,
      // Decoded: @discordjs/rest sends `@original` as `%40original`.
      route: decodeURIComponent(prefix ? prefix[1] : url.pathname),
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      files: [],
      rawBody: raw.toString('utf8'),
    };
    let result: RouteResult;
    try {
      Object.assign(request, await parseBody(req.headers['content-type'], raw));
      result = prefix ? this.route(request) : this.notFound(request);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      result = apiError(400, 'The request body contains invalid JSON.', 50109);
    }
    this.requests.push(request);
    this.changed();
    if (result.body === undefined) {
      res.writeHead(result.status);
      res.end();
    } else {
      res.writeHead(result.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result.body));
    }
  }

  private route(request: RecordedRequest): RouteResult {
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.route);
      if (!match) continue;
      if (route.botAuth && request.headers.authorization !== `Bot ${this.token}`) {
        return apiError(401, '401: Unauthorized', 0);
      }
      // An optional group that did not match (e.g. no /guilds/:id) comes through as ''.
      return route.handle(request, match.slice(1).map((param = '') => param));
    }
    return this.notFound(request);
  }

  private notFound(request: RecordedRequest): RouteResult {
    this.unknownRequests.push(request);
    return apiError(404, '404: Not Found', 0);
  }

  private buildRoutes(): Route[] {
    const bot = (method: string, pattern: RegExp, handle: RouteHandler): Route => ({
      method,
      pattern,
      botAuth: true,
      handle,
    });
    const open = (method: string, pattern: RegExp, handle: RouteHandler): Route => ({
      method,
      pattern,
      botAuth: false,
      handle,
    });
    const ok = (body: unknown): RouteResult => ({ status: 200, body });
    return [
      bot('GET', /^\/gateway\/bot$/, () =>
        ok({
          url: this.gatewayUrl,
          shards: this.options.shards ?? 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 14_400_000, max_concurrency: 16 },
        }),
      ),
      open('GET', /^\/gateway$/, () => ok({ url: this.gatewayUrl })),
      bot('GET', /^\/users\/@me$/, () => ok(this.botUser)),
      bot('GET', /^\/applications\/@me$/, () =>
        ok({
          id: this.applicationId,
          name: this.botUser.username,
          icon: null,
          description: '',
          summary: '',
          bot_public: false,
          bot_require_code_grant: false,
          verify_key: 'fake',
          flags: 0,
          team: null,
          owner: { id: this.ownerId, username: 'owner', discriminator: '0', global_name: 'owner', avatar: null },
          bot: this.botUser,
          approximate_guild_count: 1,
        }),
      ),
      bot('GET', /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/, (_request, [, guildId]) =>
        ok(this.commands.get(guildId || null) ?? []),
      ),
      bot('PUT', /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/, (request, [, guildId]) => {
        const bodies = Array.isArray(request.body) ? (request.body as unknown[]) : [];
        this.registeredCommands.push({ guildId: guildId || null, commands: bodies });
        const created = bodies.map((body) => this.applicationCommand(body, guildId || null));
        this.commands.set(guildId || null, created);
        return ok(created);
      }),
      bot('POST', /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/, (request, [, guildId]) => {
        const command = this.applicationCommand(request.body, guildId || null);
        const others = (this.commands.get(guildId || null) ?? []).filter((old) => old.name !== command.name);
        this.commands.set(guildId || null, [...others, command]);
        return { status: 201, body: command };
      }),
      open('POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, (request, [id, token]) =>
        this.interactionCallback(request, id, token),
      ),
      open('POST', /^\/webhooks\/(\d+)\/([^/]+)$/, (request, [, token]) => this.followUp(request, token)),
      open('GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, (request, [, token, messageId]) =>
        this.withWebhookMessage(request, token, messageId, (_record, message) => ok(message)),
      ),
      open('PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, (request, [, token, messageId]) =>
        this.withWebhookMessage(request, token, messageId, (record, message) => {
          const body = (request.body ?? {}) as SentMessageBody;
          const edited = this.editMessage(message, body, request.files);
          if (messageId === '@original') record.original = edited;
          else {
            record.followUps = record.followUps.map((write) =>
              write.message.id === messageId ? { ...write, message: edited } : write,
            );
          }
          record.edits.push({
            messageId,
            body,
            files: request.files,
            elapsedMs: performance.now() - record.dispatchedAt,
            message: edited,
          });
          return ok(edited);
        }),
      ),
      open('DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, (request, [, token, messageId]) =>
        this.withWebhookMessage(request, token, messageId, (record) => {
          record.deletions.push(messageId);
          if (messageId === '@original') record.original = undefined;
          return { status: 204 };
        }),
      ),
      bot('GET', /^\/channels\/(\d+)$/, (request, [channelId]) =>
        channelId === this.channelId ? ok(this.textChannel()) : this.unknown(request, 'Unknown Channel', 10003),
      ),
      bot('POST', /^\/channels\/(\d+)\/messages$/, (request, [channelId]) => {
        if (channelId !== this.channelId) return this.unknown(request, 'Unknown Channel', 10003);
        const message = this.newMessage({
          channelId,
          guildId: this.guildId,
          type: MessageType.Default,
          body: (request.body ?? {}) as SentMessageBody,
          files: request.files,
        });
        this.channelMessages.push(message);
        return ok(message);
      }),
      bot('GET', /^\/guilds\/(\d+)$/, (request, [guildId]) =>
        guildId === this.guildId ? ok(this.guildCreatePayload()) : this.unknown(request, 'Unknown Guild', 10004),
      ),
    ];
  }

  /** A known route naming an unknown object: 404 with Discord's specific error code. */
  private unknown(request: RecordedRequest, message: string, code: number): RouteResult {
    this.unknownRequests.push(request);
    return apiError(404, message, code);
  }

  private applicationCommand(body: unknown, guildId: string | null): APIApplicationCommand {
    const fields = (body ?? {}) as Partial<APIApplicationCommand>;
    const existing = this.commands.get(guildId)?.find((command) => command.name === fields.name);
    return {
      id: existing?.id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      type: ApplicationCommandType.ChatInput,
      name: '',
      description: '',
      default_member_permissions: null,
      nsfw: false,
      ...fields,
      ...(guildId ? { guild_id: guildId } : {}),
    } as APIApplicationCommand;
  }

  private interactionCallback(request: RecordedRequest, id: string, token: string): RouteResult {
    const record = this.interactions.get(id);
    if (!record || record.token !== token) return this.unknown(request, 'Unknown interaction', 10062);
    const elapsedMs = performance.now() - record.dispatchedAt;
    const deadline = this.options.callbackDeadlineMs;
    if (deadline !== undefined && elapsedMs > deadline) return apiError(404, 'Unknown interaction', 10062);
    if (record.callback) return apiError(400, 'Interaction has already been acknowledged.', 40060);

    const { type, data = {} } = (request.body ?? {}) as { type: InteractionResponseType; data?: SentMessageBody };
    this.recordCallback(record, type, data, request.files);
    if (request.query.with_response !== 'true') return { status: 204 };
    const message = record.original;
    return {
      status: 200,
      body: {
        interaction: {
          id: record.id,
          type: record.type,
          response_message_id: message?.id,
          response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource,
          response_message_ephemeral: ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
        },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }

  /** The interaction's initial response, from the callback route or an HTTP delivery's answer. */
  private recordCallback(record: InteractionRecord, type: InteractionResponseType, data: SentMessageBody, files: CapturedFile[]): void {
    record.callback = { type, data, files, elapsedMs: performance.now() - record.dispatchedAt };
    const componentMessage =
      record.payload.type === InteractionType.MessageComponent ? record.payload.message : undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        record.original = this.responseMessage(record, data, files);
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        record.original = this.responseMessage(record, { flags: (data.flags ?? 0) | MessageFlags.Loading }, []);
        break;
      case InteractionResponseType.DeferredMessageUpdate:
        record.original = componentMessage;
        break;
      case InteractionResponseType.UpdateMessage:
        record.original = componentMessage && this.editMessage(componentMessage, data, files);
        break;
      default:
        // Autocomplete results, modals and activity launches create no message.
        break;
    }
  }

  private followUp(request: RecordedRequest, token: string): RouteResult {
    const record = this.interactionsByToken.get(token);
    if (!record) return this.unknown(request, 'Unknown Webhook', 10015);
    const body = (request.body ?? {}) as SentMessageBody;
    const message = this.responseMessage(record, body, request.files);
    record.followUps.push({
      messageId: message.id,
      body,
      files: request.files,
      elapsedMs: performance.now() - record.dispatchedAt,
      message,
    });
    return request.query.wait === 'true' ? { status: 200, body: message } : { status: 204 };
  }

  private withWebhookMessage(
    request: RecordedRequest,
    token: string,
    messageId: string,
    handle: (record: InteractionRecord, message: APIMessage) => RouteResult,
  ): RouteResult {
    const record = this.interactionsByToken.get(token);
    if (!record) return this.unknown(request, 'Unknown Webhook', 10015);
    const message =
      messageId === '@original'
        ? record.original
        : record.followUps.find((write) => write.message.id === messageId)?.message;
    if (!message) return this.unknown(request, 'Unknown Message', 10008);
    return handle(record, message);
  }
}

/** A client gateway frame, or null when it is not a JSON object (Discord closes with 4002). */
function parseFrame(raw: RawData): { op?: unknown; d?: unknown } | null {
  try {
    const frame: unknown = JSON.parse(raw.toString());
    return typeof frame === 'object' && frame !== null ? frame : null;
  } catch {
    return null;
  }
}

/** Parses a REST body: JSON, or multipart with a `payload_json` part and file parts. */
async function parseBody(
  contentType: string | undefined,
  raw: Buffer,
): Promise<Pick<RecordedRequest, 'body' | 'files'>> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    // undici's Response parses multipart/form-data for us.
    const form = await new Response(new Blob([new Uint8Array(raw)]), {
      headers: { 'content-type': contentType },
    }).formData();
    let body: unknown;
    const files: CapturedFile[] = [];
    for (const [field, value] of form) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, filename: value.name, contentType: value.type, data });
      }
    }
    return { body, files };
  }
  if (contentType?.startsWith('application/json')) return { body: JSON.parse(raw.toString('utf8')), files: [] };
  return { body: raw.toString('utf8'), files: [] };
}

/** Starts a stand-in; see FakeDiscord. */
export function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return FakeDiscord.start(options);
}
