/**
 * The REST routes of `aimax serve`, JSON in and out with the shapes of the
 * CLI's `--json`, each one backend call; and the stream routes (SSE,
 * WebSocket, every session's events).
 *
 * @module
 */
import type { PermissionMode } from "../agents/options.ts";
import type { SessionStatus } from "../backend/contract.ts";
import type { TmuxAgentBackend } from "../backend/backend.ts";
import { InputError } from "../errors.ts";
import { validateSessionId } from "../inputs.ts";
import { get, SUPPORTED_BACKENDS } from "../registry.ts";
import { backendOf } from "../sessions.ts";
import { followTranscript } from "./feed.ts";
import { readJsonBody } from "./guard.ts";
import { HttpError, httpErrorOf, jsonResponse } from "./http.ts";
import type { EventHub } from "./hub.ts";
import { resumeOffset, sseResponse } from "./sse.ts";
import { websocketFeed } from "./ws.ts";

/** Seconds `whenReady: true` waits for a person to answer a dialog. */
export const WHEN_READY_DEFAULT_SECONDS = 600;

/**
 * What the routes share.
 *
 * @example
 * ```ts
 * import type { ApiContext } from "./api.ts";
 * import { EventHub } from "./hub.ts";
 * const ctx: ApiContext = { hub: new EventHub(), maxBodyBytes: 1 << 20 };
 * ```
 */
export interface ApiContext {
  /** Every session's events, shared by the `/api/events` clients. */
  hub: EventHub;
  /** Cap of a request body. */
  maxBodyBytes?: number;
  /** Backlog cap of one stream client. */
  maxQueueBytes?: number;
  /** Aborts when the server closes: every stream ends. */
  signal?: AbortSignal;
}

type Body = Record<string, unknown>;

function text(body: Body, key: string): string;
function text(body: Body, key: string, optional: true): string | undefined;
function text(body: Body, key: string, optional = false): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (optional) return undefined;
    throw new InputError(`"${key}" is required`);
  }
  if (typeof value !== "string") {
    throw new InputError(`"${key}" must be a string`);
  }
  return value;
}

function flag(body: Body, key: string): boolean {
  const value = body[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") {
    throw new InputError(`"${key}" must be true or false`);
  }
  return value;
}

function seconds(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === false) {
    return undefined;
  }
  if (value === true && key === "whenReady") {
    return WHEN_READY_DEFAULT_SECONDS * 1000;
  }
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InputError(`"${key}" must be a number of seconds`);
  }
  return Math.round(value * 1000);
}

function wholeNumber(url: URL, key: string): number | undefined {
  const raw = url.searchParams.get(key);
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new InputError(`?${key}= takes a whole number, got "${raw}"`);
  }
  return Number(raw);
}

async function listAll(url: URL): Promise<SessionStatus[]> {
  const only = url.searchParams.get("backend");
  const names = only ? [get(only).name] : SUPPORTED_BACKENDS;
  const rows: SessionStatus[] = [];
  for (const name of names) rows.push(...await get(name).listSessions());
  return rows;
}

async function createSession(request: Request, ctx: ApiContext) {
  const body = await readJsonBody(request, { maxBytes: ctx.maxBodyBytes });
  const backend = get(text(body, "backend"));
  // Warnings (an agent version aimax was not tested with) go to the caller,
  // which shows them as a local create does.
  const warnings: string[] = [];
  const result = await backend.createNewSession({
    onWarning: (message) => warnings.push(message),
    sessionId: validateSessionId(text(body, "sessionId")),
    cwd: text(body, "cwd"),
    initialPrompt: text(body, "prompt"),
    model: text(body, "model", true),
    agentSessionId: text(body, "agentSessionId", true),
    displayName: text(body, "displayName", true),
    flagRoot: text(body, "flagRoot", true),
    useProxy: body.useProxy === undefined || body.useProxy === null
      ? undefined
      : flag(body, "useProxy"),
    // Checked by the backend (the vocabulary, a list of at most
    // MAX_AGENT_ARGS strings of bounded length, the agent's own options
    // refused): 400 before anything is created.
    permissionMode: text(body, "permissionMode", true) as
      | PermissionMode
      | undefined,
    allowBypass: flag(body, "allowBypass"),
    agentArgs: body.agentArgs === undefined || body.agentArgs === null
      ? undefined
      : body.agentArgs as string[],
  });
  return jsonResponse(
    warnings.length ? { ...result, warnings } : result,
    { status: 201 },
  );
}

async function sendPrompt(
  request: Request,
  session: { backend: TmuxAgentBackend; sessionId: string },
  ctx: ApiContext,
) {
  const body = await readJsonBody(request, { maxBytes: ctx.maxBodyBytes });
  const { backend, sessionId } = session;
  const mode = text(body, "mode", true) ?? "queue";
  if (mode !== "queue" && mode !== "interrupt") {
    throw new InputError(`"mode" is "queue" or "interrupt", got "${mode}"`);
  }
  const wait = flag(body, "wait");
  const timeoutMs = seconds(body, "timeout");
  const options = {
    sessionId,
    prompt: text(body, "prompt"),
    idempotencyKey: text(body, "key", true),
    whenReadyMs: seconds(body, "whenReady"),
    flagRoot: text(body, "flagRoot", true),
  };
  const since = Date.now();
  const result = mode === "interrupt"
    ? await backend.pauseCurrentAndResumeFromSession(options)
    : await backend.noPauseCurrentAndQueueQueryAtSession(options);
  if (!wait) return jsonResponse({ ...result, sent: true });
  const turn = await backend.waitForTurn(sessionId, {
    since,
    prompt: options.prompt,
    timeoutMs,
    signal: request.signal,
  });
  return jsonResponse({ sessionId, ...turn });
}

async function waitTurn(
  request: Request,
  session: { backend: TmuxAgentBackend; sessionId: string },
  ctx: ApiContext,
) {
  // An empty body is `{}`: wait without a limit.
  const body = request.headers.get("content-length") === "0" || !request.body
    ? {}
    : await readJsonBody(request, { maxBytes: ctx.maxBodyBytes });
  const timeoutMs = seconds(body, "timeout");
  // `sinceAgo`: seconds before now (the server's clock) at which the
  // caller sent its prompt; a turn that ended before then does not count.
  const ago = seconds(body, "sinceAgo");
  const turn = await session.backend.waitForTurn(session.sessionId, {
    timeoutMs,
    since: ago === undefined ? undefined : Date.now() - ago,
    prompt: text(body, "prompt", true),
    signal: request.signal,
  });
  return jsonResponse({ sessionId: session.sessionId, ...turn });
}

async function pressKeys(
  request: Request,
  session: { backend: TmuxAgentBackend; sessionId: string },
  ctx: ApiContext,
) {
  const body = await readJsonBody(request, { maxBytes: ctx.maxBodyBytes });
  const keys = body.keys;
  if (
    !Array.isArray(keys) || keys.some((k) => typeof k !== "string")
  ) {
    throw new InputError(`"keys" must be a list of tmux key names`);
  }
  await session.backend.sendKeys(session.sessionId, keys, {
    signal: request.signal,
  });
  return jsonResponse({ sessionId: session.sessionId, keys });
}

async function screenOf(backend: TmuxAgentBackend, sessionId: string) {
  const screen = await backend.screen(sessionId);
  const state = await backend.getState(sessionId);
  return jsonResponse({
    sessionId,
    screen,
    state: state.state,
    ...(state.dialog ? { dialog: state.dialog } : {}),
  });
}

async function sessionStream(
  request: Request,
  url: URL,
  session: { backend: TmuxAgentBackend; sessionId: string },
  ctx: ApiContext,
): Promise<Response> {
  const from = resumeOffset(request);
  const events = url.searchParams.get("events") === "1";
  const { backend, sessionId } = session;
  // Refuse an unknown session with a 404 before streaming.
  await backend.isJobGoalAccomplished(sessionId);
  if (url.pathname.endsWith("/ws")) {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      throw new HttpError(
        426,
        "upgrade_required",
        "a WebSocket upgrade is required",
      );
    }
    return websocketFeed(request, backend, {
      sessionId,
      from,
      events,
      maxQueueBytes: ctx.maxQueueBytes,
      signal: ctx.signal,
    });
  }
  return await sseResponse(
    (sink) =>
      followTranscript(backend, sessionId, {
        from,
        events,
        onMessage: (m) => sink.send(m.data, m.id),
        room: () => sink.room(),
        onError: (error) => {
          sink.send({ error: httpErrorOf(error).body.error });
          sink.close();
        },
      }),
    { maxQueueBytes: ctx.maxQueueBytes, signal: ctx.signal },
  );
}

/**
 * Answers one `/api/…` request (already authorised and guarded).
 *
 * @example
 * ```ts ignore
 * import { handleApi } from "./api.ts";
 * import { EventHub } from "./hub.ts";
 * const hub = new EventHub();
 * Deno.serve((request) => handleApi(request, { hub }));
 * ```
 * @param request the request
 * @param ctx what the routes share
 * @throws whatever the backend throws (mapped to JSON by the server)
 */
export async function handleApi(
  request: Request,
  ctx: ApiContext,
): Promise<Response> {
  const url = new URL(request.url);
  const parts = url.pathname.split("/").slice(2).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new InputError("bad percent-encoding in the path");
    }
  });
  const method = request.method;
  const notAllowed = () => {
    throw new HttpError(
      405,
      "method_not_allowed",
      `${method} is not allowed on ${url.pathname}`,
    );
  };
  if (parts.length === 1 && parts[0] === "events") {
    if (method !== "GET") notAllowed();
    let id = 0;
    return await sseResponse(
      (sink) => ctx.hub.join((event) => sink.send(event, ++id)),
      { maxQueueBytes: ctx.maxQueueBytes, signal: ctx.signal },
    );
  }
  if (parts[0] !== "sessions") {
    throw new HttpError(404, "not_found", `no route ${url.pathname}`);
  }
  if (parts.length === 1) {
    if (method === "GET") return jsonResponse(await listAll(url));
    if (method === "POST") return await createSession(request, ctx);
    return notAllowed();
  }
  const sessionId = validateSessionId(parts[1]);
  const backendName = url.searchParams.get("backend") ?? undefined;
  if (backendName !== undefined) get(backendName);
  const backend = await backendOf(sessionId, { backend: backendName });
  const session = { backend, sessionId };
  const action = parts.length === 2 ? "" : parts.slice(2).join("/");
  switch (`${method} ${action}`) {
    case "GET ":
      return jsonResponse(await backend.status(sessionId));
    case "DELETE ":
      return jsonResponse(await backend.terminateSession(sessionId));
    case "POST send":
      return await sendPrompt(request, session, ctx);
    case "POST wait":
      return await waitTurn(request, session, ctx);
    case "POST keys":
      return await pressKeys(request, session, ctx);
    case "GET screen":
      return await screenOf(backend, sessionId);
    case "GET history":
      return jsonResponse(
        await backend.getHistory(sessionId, {
          fromOffset: wholeNumber(url, "from"),
          limit: wholeNumber(url, "limit"),
        }),
      );
    case "GET stream":
    case "GET ws":
      return await sessionStream(request, url, session, ctx);
  }
  if (
    ["", "send", "wait", "keys", "screen", "history", "stream", "ws"].includes(
      action,
    )
  ) {
    return notAllowed();
  }
  throw new HttpError(404, "not_found", `no route ${url.pathname}`);
}
