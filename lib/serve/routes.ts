/**
 * The REST routes of `aimax serve`, in one table ({@linkcode ROUTES}): each
 * row a method, a path, the {@linkcode SessionBackend} operations it
 * serves, the error codes it may answer and its handler (JSON in and out
 * with the shapes of the CLI's `--json`, each one backend call; the streams
 * are SSE and WebSocket). The router (`api.ts`) and its 404 and 405
 * answers, the paths that take the token in the query (`server.ts`) and
 * the README's REST table (its test) all come from it.
 *
 * Adding an operation: the interface (`lib/backend/contract.ts`), the tmux
 * implementation, one row here, one remote method (`lib/remote/backend.ts`),
 * one CLI command file.
 *
 * @module
 */
import type { PermissionMode } from "../agent_options.ts";
import type {
  SessionBackend,
  SessionOperation,
  SessionStatus,
  WorktreeOptions,
} from "../backend/contract.ts";
import { type ErrorCode, InputError } from "../errors.ts";
import { validateSessionId } from "../inputs.ts";
import { get, SUPPORTED_BACKENDS } from "../registry.ts";
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
 * import type { ApiContext } from "./routes.ts";
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

/**
 * The session a request's path names, and its backend.
 *
 * @example
 * ```ts
 * import { get, SUPPORTED_BACKENDS } from "../registry.ts";
 * import type { SessionRef } from "./routes.ts";
 * const session: SessionRef = { backend: get(SUPPORTED_BACKENDS[0]), sessionId: "demo" };
 * ```
 */
export interface SessionRef {
  /** The session's backend, as the interface. */
  backend: SessionBackend;
  /** Session id. */
  sessionId: string;
}

/**
 * One request as a route's handler gets it.
 *
 * @example
 * ```ts
 * import type { ApiCall } from "./routes.ts";
 * import { EventHub } from "./hub.ts";
 * const request = new Request("http://127.0.0.1/api/sessions");
 * const call: ApiCall = {
 *   request,
 *   url: new URL(request.url),
 *   ctx: { hub: new EventHub() },
 *   session: undefined,
 * };
 * ```
 */
export interface ApiCall {
  /** The request. */
  request: Request;
  /** Its URL, parsed. */
  url: URL;
  /** What the routes share. */
  ctx: ApiContext;
  /** The session the path names (`{id}`), found before the route. */
  session: SessionRef | undefined;
}

/**
 * One row of the route table.
 *
 * @example
 * ```ts
 * import { ROUTES, type Route } from "./routes.ts";
 * const keys: Route | undefined = ROUTES.find((r) => r.path.endsWith("/keys"));
 * console.log(keys?.method, keys?.errors);
 * ```
 */
export interface Route {
  /** The HTTP method. */
  readonly method: "GET" | "POST" | "DELETE";
  /** The path, `{id}` standing for a session id (as the README writes it). */
  readonly path: string;
  /** The {@linkcode SessionBackend} operations it serves (none: server-wide). */
  readonly operations: readonly SessionOperation[];
  /**
   * The error codes it may answer besides {@linkcode COMMON_ERRORS} (their
   * statuses are in the one table of codes, `ERRORS` in `lib/errors.ts`).
   */
  readonly errors: readonly ErrorCode[];
  /**
   * The token may come in `?token=` (a browser's `EventSource` and
   * `WebSocket` cannot set a header).
   */
  readonly tokenInQuery: boolean;
  /** Answers the request (errors are thrown, mapped to JSON by the server). */
  readonly handle: (call: ApiCall) => Promise<Response>;
}

/**
 * The error codes any `/api` request may be answered with, whatever its
 * route: the token, the `Host` and `Origin` checks, a bad path, a state
 * file, tmux or a file that failed, and the catch-all. A path no row has
 * is a 404 `not_found`, a method its rows lack a 405 `method_not_allowed`.
 *
 * @example
 * ```ts
 * import { COMMON_ERRORS } from "./routes.ts";
 * console.log(COMMON_ERRORS.includes("unauthorized")); // true
 * ```
 */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  "unauthorized",
  "bad_host",
  "cross_origin",
  "invalid_input",
  "state_corrupt",
  "data_dir",
  "tmux_failed",
  "io_failed",
  "error",
];

/**
 * The {@linkcode SessionBackend} operations that have no route, and why:
 * they only make sense on the host the session runs on (the remote
 * backend refuses them).
 *
 * @example
 * ```ts
 * import { LOCAL_ONLY } from "./routes.ts";
 * console.log(LOCAL_ONLY.attachCommand);
 * ```
 */
export const LOCAL_ONLY: Readonly<Partial<Record<SessionOperation, string>>> = {
  attachCommand:
    "a terminal on the session's host takes over its window (ssh there); a client uses screen and keys",
  transcriptOf:
    "a path on the session's host; a client reads the transcript through history and the streams",
};

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

/** The backend `name` from the registry, as the interface the routes call. */
function backendNamed(name: string): SessionBackend {
  return get(name);
}

/** The session the path names; every row under `{id}` has one. */
function sessionIn(call: ApiCall): SessionRef {
  if (call.session === undefined) {
    throw new Error(`the route of ${call.url.pathname} names no session`);
  }
  return call.session;
}

async function listAll({ url }: ApiCall): Promise<Response> {
  const only = url.searchParams.get("backend");
  const names = only ? [backendNamed(only).name] : SUPPORTED_BACKENDS;
  const rows: SessionStatus[] = [];
  for (const name of names) {
    rows.push(...await backendNamed(name).listSessions());
  }
  return jsonResponse(rows);
}

async function createSession({ request, ctx }: ApiCall): Promise<Response> {
  const body = await readJsonBody(request, { maxBytes: ctx.maxBodyBytes });
  const backend = backendNamed(text(body, "backend"));
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
    // Checked by the backend too (validateRules: lists of at most
    // MAX_RULES bounded strings; a rule the agent cannot express refused).
    allow: body.allow === undefined || body.allow === null
      ? undefined
      : body.allow as string[],
    deny: body.deny === undefined || body.deny === null
      ? undefined
      : body.deny as string[],
    // Checked by the backend too (validateWorktreeOptions).
    worktree: body.worktree === undefined || body.worktree === null ||
        body.worktree === false
      ? undefined
      : body.worktree as WorktreeOptions,
  });
  return jsonResponse(
    warnings.length ? { ...result, warnings } : result,
    { status: 201 },
  );
}

async function sessionStatus(call: ApiCall): Promise<Response> {
  const { backend, sessionId } = sessionIn(call);
  return jsonResponse(await backend.status(sessionId));
}

async function stopSession(call: ApiCall): Promise<Response> {
  const { backend, sessionId } = sessionIn(call);
  const discard = call.url.searchParams.get("discard");
  if (discard !== null && discard !== "1" && discard !== "true") {
    throw new InputError(
      `?discard= is 1 or true, got "${discard.slice(0, 20)}"`,
    );
  }
  return jsonResponse(
    await backend.terminateSession(sessionId, { discard: discard !== null }),
  );
}

async function diffOf(call: ApiCall): Promise<Response> {
  const { backend, sessionId } = sessionIn(call);
  return jsonResponse(await backend.diff(sessionId));
}

async function mergeSession(call: ApiCall): Promise<Response> {
  const { request, ctx } = call;
  const body = await readJsonBody(request, { maxBytes: ctx.maxBodyBytes });
  const { backend, sessionId } = sessionIn(call);
  return jsonResponse(
    await backend.merge(sessionId, {
      squash: flag(body, "squash"),
      message: text(body, "message", true),
    }),
  );
}

async function reviveSession(call: ApiCall): Promise<Response> {
  const { backend, sessionId } = sessionIn(call);
  const warnings: string[] = [];
  const result = await backend.revive(sessionId, {
    onWarning: (message) => warnings.push(message),
  });
  return jsonResponse(warnings.length ? { ...result, warnings } : result);
}

async function sendPrompt(call: ApiCall): Promise<Response> {
  const { request, ctx } = call;
  const body = await readJsonBody(request, { maxBytes: ctx.maxBodyBytes });
  const { backend, sessionId } = sessionIn(call);
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

async function waitTurn(call: ApiCall): Promise<Response> {
  const { request, ctx } = call;
  const session = sessionIn(call);
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

async function pressKeys(call: ApiCall): Promise<Response> {
  const { request, ctx } = call;
  const session = sessionIn(call);
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

async function approveDialog(call: ApiCall): Promise<Response> {
  const { request, ctx } = call;
  const { backend, sessionId } = sessionIn(call);
  const body = await readJsonBody(request, { maxBytes: ctx.maxBodyBytes });
  return jsonResponse(
    await backend.approve(sessionId, {
      dialog: text(body, "dialog", true),
      always: flag(body, "always"),
      signal: request.signal,
    }),
  );
}

async function denyDialog(call: ApiCall): Promise<Response> {
  const { request, ctx } = call;
  const { backend, sessionId } = sessionIn(call);
  const body = await readJsonBody(request, { maxBytes: ctx.maxBodyBytes });
  return jsonResponse(
    await backend.deny(sessionId, {
      dialog: text(body, "dialog", true),
      reason: text(body, "reason", true),
      signal: request.signal,
    }),
  );
}

async function screenOf(call: ApiCall): Promise<Response> {
  const { backend, sessionId } = sessionIn(call);
  const screen = await backend.screen(sessionId);
  const state = await backend.getState(sessionId);
  return jsonResponse({
    sessionId,
    screen,
    state: state.state,
    ...(state.dialog ? { dialog: state.dialog } : {}),
    ...(state.dialogInfo ? { dialogInfo: state.dialogInfo } : {}),
  });
}

async function historyOf(call: ApiCall): Promise<Response> {
  const { url } = call;
  const { backend, sessionId } = sessionIn(call);
  return jsonResponse(
    await backend.getHistory(sessionId, {
      fromOffset: wholeNumber(url, "from"),
      limit: wholeNumber(url, "limit"),
    }),
  );
}

async function sessionStream(call: ApiCall): Promise<Response> {
  const { request, url, ctx } = call;
  const from = resumeOffset(request);
  const events = url.searchParams.get("events") === "1";
  const { backend, sessionId } = sessionIn(call);
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

async function everyEvent({ ctx }: ApiCall): Promise<Response> {
  let id = 0;
  return await sseResponse(
    (sink) => ctx.hub.join((event) => sink.send(event, ++id)),
    { maxQueueBytes: ctx.maxQueueBytes, signal: ctx.signal },
  );
}

/** What a request body may be refused for. */
const BODY: ErrorCode[] = ["bad_json", "too_large"];
/** What a prompt that reaches the agent may meet. */
const AGENT: ErrorCode[] = [
  "session_dead",
  "agent_screen",
  "no_input_box",
  "awaiting_input",
  "no_transcript",
];

/**
 * Every route of `aimax serve`, in the README's order.
 *
 * @example
 * ```ts
 * import { ROUTES } from "./routes.ts";
 * for (const r of ROUTES) console.log(r.method, r.path, r.operations.join(", "));
 * ```
 */
export const ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: "/api/sessions",
    operations: ["listSessions"],
    errors: [],
    tokenInQuery: false,
    handle: listAll,
  },
  {
    method: "POST",
    path: "/api/sessions",
    operations: ["createNewSession"],
    errors: [
      ...BODY,
      "session_exists",
      "preflight_failed",
      ...AGENT,
      "not_a_repository",
      "branch_exists",
      "setup_failed",
      "git_failed",
    ],
    tokenInQuery: false,
    handle: createSession,
  },
  {
    method: "GET",
    path: "/api/sessions/{id}",
    operations: [
      "status",
      "getState",
      "isAlive",
      "isWorking",
      "isJobGoalAccomplished",
      "isFailed",
    ],
    errors: ["session_not_found"],
    tokenInQuery: false,
    handle: sessionStatus,
  },
  {
    method: "POST",
    path: "/api/sessions/{id}/send",
    operations: [
      "noPauseCurrentAndQueueQueryAtSession",
      "pauseCurrentAndResumeFromSession",
    ],
    errors: [...BODY, "session_not_found", ...AGENT],
    tokenInQuery: false,
    handle: sendPrompt,
  },
  {
    method: "POST",
    path: "/api/sessions/{id}/wait",
    operations: ["waitForTurn"],
    errors: [...BODY, "session_not_found"],
    tokenInQuery: false,
    handle: waitTurn,
  },
  {
    method: "POST",
    path: "/api/sessions/{id}/keys",
    operations: ["sendKeys"],
    errors: [...BODY, "session_not_found", "session_dead", "agent_screen"],
    tokenInQuery: false,
    handle: pressKeys,
  },
  {
    method: "POST",
    path: "/api/sessions/{id}/approve",
    operations: ["approve"],
    errors: [
      ...BODY,
      "invalid_input",
      "session_not_found",
      "session_dead",
      "dialog_changed",
      "agent_screen",
    ],
    tokenInQuery: false,
    handle: approveDialog,
  },
  {
    method: "POST",
    path: "/api/sessions/{id}/deny",
    operations: ["deny"],
    errors: [
      ...BODY,
      "invalid_input",
      "session_not_found",
      "session_dead",
      "dialog_changed",
      ...AGENT,
    ],
    tokenInQuery: false,
    handle: denyDialog,
  },
  {
    method: "GET",
    path: "/api/sessions/{id}/screen",
    operations: ["screen"],
    errors: ["session_not_found", "session_dead"],
    tokenInQuery: false,
    handle: screenOf,
  },
  {
    method: "GET",
    path: "/api/sessions/{id}/history",
    operations: ["getHistory"],
    errors: ["session_not_found"],
    tokenInQuery: false,
    handle: historyOf,
  },
  {
    method: "DELETE",
    path: "/api/sessions/{id}",
    operations: ["terminateSession"],
    errors: ["session_not_found"],
    tokenInQuery: false,
    handle: stopSession,
  },
  {
    method: "GET",
    path: "/api/sessions/{id}/diff",
    operations: ["diff"],
    errors: ["session_not_found", "invalid_input", "git_failed"],
    tokenInQuery: false,
    handle: diffOf,
  },
  {
    method: "POST",
    path: "/api/sessions/{id}/merge",
    operations: ["merge"],
    errors: [
      ...BODY,
      "session_not_found",
      "invalid_input",
      "dirty_tree",
      "merge_conflict",
      "worktree_busy",
      "git_failed",
    ],
    tokenInQuery: false,
    handle: mergeSession,
  },
  {
    method: "POST",
    path: "/api/sessions/{id}/revive",
    operations: ["revive"],
    errors: [
      "session_not_found",
      "session_exists",
      "invalid_input",
      "preflight_failed",
      "agent_screen",
    ],
    tokenInQuery: false,
    handle: reviveSession,
  },
  {
    method: "GET",
    path: "/api/sessions/{id}/stream",
    operations: ["getAgentRawThoughtStream", "getEventStream"],
    errors: ["session_not_found", "no_transcript"],
    tokenInQuery: true,
    handle: sessionStream,
  },
  {
    method: "GET",
    path: "/api/sessions/{id}/ws",
    operations: ["getAgentRawThoughtStream", "getEventStream"],
    errors: ["session_not_found", "no_transcript", "upgrade_required"],
    tokenInQuery: true,
    handle: sessionStream,
  },
  {
    method: "GET",
    path: "/api/events",
    // Every session's events: `subscribeEvents`, not one backend's.
    operations: [],
    errors: [],
    tokenInQuery: true,
    handle: everyEvent,
  },
];

/** A path's segments after `/api/`. */
function segmentsOf(path: string): string[] {
  return path.split("/").slice(2);
}

/** Where a route's path has its session id, or -1. */
function idAt(route: Route): number {
  return segmentsOf(route.path).indexOf("{id}");
}

function samePrefix(
  a: readonly string[],
  b: readonly string[],
  length: number,
): boolean {
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether `route` is at the path of `parts` (its segments after `/api/`):
 * the same segments, `{id}` standing for any non-empty one; after the id,
 * the rest read as one (`sessions/x/` is the session itself).
 */
function fits(route: Route, parts: readonly string[]): boolean {
  const segments = segmentsOf(route.path);
  const at = idAt(route);
  if (at === -1) {
    return parts.length === segments.length &&
      samePrefix(segments, parts, segments.length);
  }
  return parts.length > at && parts[at] !== "" &&
    samePrefix(segments, parts, at) &&
    parts.slice(at + 1).join("/") === segments.slice(at + 1).join("/");
}

/**
 * Which segment of a path (its decoded segments after `/api/`) names a
 * session: the place of `{id}` in the rows whose path starts the same way
 * (`sessions/ID/…`), or `undefined`. The session is looked up before the
 * route, so an unknown session is a 404 `session_not_found` whatever
 * follows it.
 *
 * @example
 * ```ts
 * import { sessionSegment } from "./routes.ts";
 * sessionSegment(["sessions", "demo", "send"]); // 1
 * sessionSegment(["events"]); // undefined
 * ```
 * @param parts the path's segments after `/api/`, decoded
 */
export function sessionSegment(parts: readonly string[]): number | undefined {
  for (const route of ROUTES) {
    const at = idAt(route);
    if (
      at !== -1 && parts.length > at &&
      samePrefix(segmentsOf(route.path), parts, at)
    ) {
      return at;
    }
  }
  return undefined;
}

/**
 * The rows at a path (its decoded segments after `/api/`), whatever their
 * method: none is a 404, none of the request's method a 405.
 *
 * @example
 * ```ts
 * import { routesAt } from "./routes.ts";
 * routesAt(["sessions"]).map((r) => r.method); // ["GET", "POST"]
 * ```
 * @param parts the path's segments after `/api/`, decoded
 */
export function routesAt(parts: readonly string[]): Route[] {
  return ROUTES.filter((route) => fits(route, parts));
}

/**
 * Whether a request to `pathname` (as sent, not decoded) may carry its
 * token in `?token=`: a row at that path says so.
 *
 * @example
 * ```ts
 * import { tokenInQuery } from "./routes.ts";
 * tokenInQuery("/api/events"); // true
 * tokenInQuery("/api/sessions"); // false
 * ```
 * @param pathname the request's path
 */
export function tokenInQuery(pathname: string): boolean {
  if (!pathname.startsWith("/api/")) return false;
  const parts = segmentsOf(pathname);
  return ROUTES.some((route) => route.tokenInQuery && fits(route, parts));
}
