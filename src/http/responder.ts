/**
 * Runs an interaction that arrived over HTTP through the same discord.js objects, router and
 * command handlers as the gateway, and turns the handler's first response into the HTTP response.
 *
 * How: the discord.js client here never logs in. Each verified payload is handed to discord.js's
 * own INTERACTION_CREATE action (what the gateway does with the same JSON), so the handlers get a
 * real ChatInputCommandInteraction, ButtonInteraction or AutocompleteInteraction. Their first
 * response (reply, deferReply, update, respond) is a POST to /interactions/:id/:token/callback;
 * the client's REST `makeRequest` hook catches that one call and answers the HTTP request with
 * its body instead. Everything after it (editReply, followUp) goes to DISCORD_API_BASE through
 * the interaction webhook, as in gateway mode.
 *
 * Discord waits 3 s for the HTTP response. A handler that has not responded by `deferAfterMs` is
 * deferred here (commands: an ephemeral "thinking" message, so a slow answer never turns public
 * by accident; buttons: a deferred update; autocomplete cannot wait and gets no choices), and its
 * late response is sent through the webhook instead: a message becomes the edit of the deferred
 * one (or a follow-up, for a button), an update edits the button's message.
 */
import {
  Events,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIInteraction,
  type APIInteractionResponse,
  type Client,
  type Interaction,
  type RESTOptions,
  type ResponseLike,
} from 'discord.js';
import type { Logger } from '../log.js';

/** Discord's limit is 3 s from its side; the network and the event loop need the rest. */
export const DEFAULT_DEFER_AFTER_MS = 2_000;
/** An interaction token lives 15 minutes: a late response after that has nowhere to go. */
const TOKEN_LIFETIME_MS = 15 * 60_000;

const CALLBACK_ROUTE = /\/interactions\/(\d+)\/([^/]+)\/callback$/;

interface Pending {
  payload: APIInteraction;
  /** Set until the HTTP response is sent. */
  respond: ((body: APIInteractionResponse) => void) | null;
  expires: NodeJS.Timeout;
}

export interface InteractionResponder {
  /** The REST hook for the client (ClientOptions.rest.makeRequest). */
  readonly makeRequest: RESTOptions['makeRequest'];
  /** Binds the client whose handlers answer; call once, before `respond`. */
  attach(client: Client, handle: (interaction: Interaction) => void): void;
  /** The HTTP response for one verified interaction payload. */
  respond(payload: APIInteraction): Promise<APIInteractionResponse>;
}

export function createResponder(options: { apiBase: string; logger: Logger; deferAfterMs?: number }): InteractionResponder {
  const log = options.logger.child({ component: 'http-interactions' });
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const pending = new Map<string, Pending>();
  let client: Client | null = null;

  const forget = (id: string): void => {
    const entry = pending.get(id);
    if (!entry) return;
    clearTimeout(entry.expires);
    pending.delete(id);
  };

  /** A response the handler sent after this replica had deferred it: through the webhook. */
  async function sendLate(entry: Pending, body: { type: InteractionResponseType; data?: unknown }): Promise<Response> {
    const { payload } = entry;
    const webhook = `${options.apiBase}/v10/webhooks/${payload.application_id}/${payload.token}`;
    const isComponent = payload.type === InteractionType.MessageComponent;
    let target: { method: string; url: string } | null = null;
    if (body.type === InteractionResponseType.ChannelMessageWithSource) {
      target = isComponent ? { method: 'POST', url: webhook } : { method: 'PATCH', url: `${webhook}/messages/@original` };
    } else if (body.type === InteractionResponseType.UpdateMessage) {
      target = { method: 'PATCH', url: `${webhook}/messages/@original` };
    }
    if (!target) {
      // A deferral (already done here), or autocomplete/modal (too late for those).
      log.info({ interactionId: payload.id, type: body.type }, 'late response not sent: the interaction was already deferred or answered');
      return new Response(null, { status: 204 });
    }
    log.info({ interactionId: payload.id, type: body.type, method: target.method }, 'late response sent through the interaction webhook');
    return fetch(target.url, { method: target.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body.data ?? {}) });
  }

  // (undici's RequestInit and the DOM one differ only in typing; the global fetch takes both.)
  async function makeRequest(url: string, init: Parameters<RESTOptions['makeRequest']>[1]): Promise<Response> {
    const passThrough = (): Promise<Response> => fetch(url, init as RequestInit);
    const route = CALLBACK_ROUTE.exec(new URL(url).pathname);
    const entry = route ? pending.get(route[1]) : undefined;
    if (!route || !entry || route[2] !== entry.payload.token) return passThrough();
    if (typeof init.body !== 'string') {
      // Files in the first response: not representable in a JSON HTTP response. Our commands
      // send none; should one, it goes to Discord as in gateway mode and this request is deferred.
      if (entry.respond) deferNow(entry);
      forget(route[1]);
      return passThrough();
    }
    const body = JSON.parse(init.body) as APIInteractionResponse;
    forget(route[1]);
    if (entry.respond) {
      entry.respond(body);
      entry.respond = null;
      // Discord answers the callback route with 204 (no body) unless with_response is asked.
      return new Response(null, { status: 204 });
    }
    return sendLate(entry, body as { type: InteractionResponseType; data?: unknown });
  }

  function deferNow(entry: Pending): void {
    const { payload } = entry;
    const body: APIInteractionResponse =
      payload.type === InteractionType.ApplicationCommandAutocomplete
        ? { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } }
        : payload.type === InteractionType.MessageComponent
          ? { type: InteractionResponseType.DeferredMessageUpdate }
          : { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } };
    entry.respond?.(body);
    entry.respond = null;
  }

  return {
    // The global Response is what @discordjs/rest's ResponseLike describes; only the DOM and
    // undici typings of its stream disagree.
    makeRequest: (url, init) => makeRequest(url, init) as unknown as Promise<ResponseLike>,
    attach(c, handle) {
      client = c;
      c.on(Events.InteractionCreate, handle);
    },
    respond(payload) {
      if (payload.type === InteractionType.Ping) return Promise.resolve({ type: InteractionResponseType.Pong });
      if (!client) return Promise.reject(new Error('no client attached'));
      const c = client;
      return new Promise<APIInteractionResponse>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (!entry.respond) return;
          log.warn({ interactionId: payload.id, type: payload.type, deferAfterMs }, 'handler slow: deferred here, its response follows through the webhook');
          deferNow(entry);
        }, deferAfterMs);
        const entry: Pending = {
          payload,
          respond: (body) => {
            clearTimeout(timer);
            resolve(body);
          },
          expires: setTimeout(() => pending.delete(payload.id), TOKEN_LIFETIME_MS).unref(),
        };
        pending.set(payload.id, entry);
        try {
          // discord.js's own handling of an INTERACTION_CREATE payload (private API, used by its
          // gateway code the same way): builds the interaction class and emits InteractionCreate.
          (c as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } }).actions.InteractionCreate.handle(payload);
        } catch (err) {
          clearTimeout(timer);
          forget(payload.id);
          reject(err);
        }
      });
    },
  };
}
