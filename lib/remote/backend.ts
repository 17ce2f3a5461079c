/**
 * The CLI against a remote `aimax serve`: {@linkcode RemoteBackend} has the
 * backend methods the commands call, each one HTTP request to the server's
 * API (streams are Server-Sent Events read over `fetch`), and the server's
 * JSON errors become the same error classes as local ones, so the commands
 * print the same lines and exit with the same codes.
 *
 * @module
 */
import type { AgentProfile } from "../agents/agent.ts";
import type {
  CreateSessionOptions,
  CreateSessionResult,
  HistoryOptions,
  SendOptions,
  SendResult,
  SessionStatus,
  StreamOptions,
  TerminateResult,
  ThoughtListener,
} from "../backend/contract.ts";
import type { TurnOutcome, WaitOptions } from "../backend/turns.ts";
import { UsageError } from "../cli/command.ts";
import {
  AimaxError,
  AwaitingInputError,
  InputError,
  PreflightError,
} from "../errors.ts";
import { validateSessionId } from "../inputs.ts";
import type { JsonlEntry } from "../jsonl/lines.ts";
import type { JsonlReadResult } from "../jsonl/reader.ts";
import type { Unsubscribe } from "../jsonl/watcher.ts";
import { get } from "../registry.ts";
import type { AgentEvent } from "../signals/events.ts";
import type { StateReading } from "../signals/state.ts";
import { readSse, type SseMessage } from "./sse.ts";

/**
 * Where the server is and the token it takes.
 *
 * @example
 * ```ts
 * import type { RemoteServer } from "./backend.ts";
 * const server: RemoteServer = { url: "http://127.0.0.1:7878", token: "secret" };
 * ```
 */
export interface RemoteServer {
  /** Base URL, `http://host:port`. */
  readonly url: string;
  /** The bearer token (`AIMAX_SERVE_TOKEN`). */
  readonly token: string;
}

/**
 * Reads one environment variable (`undefined` when unset or not allowed).
 *
 * @example
 * ```ts
 * import type { EnvLookup } from "./backend.ts";
 * const env: EnvLookup = (name) => name === "AIMAX_SERVER" ? "http://h:1" : undefined;
 * ```
 */
export type EnvLookup = (name: string) => string | undefined;

function envOf(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (error) {
    // Not in `--allow-env`: as if unset.
    if (error instanceof Deno.errors.NotCapable) return undefined;
    throw error;
  }
}

/**
 * Whether the CLI is asked to run against a server: `url` (`--server`) or
 * `AIMAX_SERVER` is set (the token is not checked).
 *
 * @example
 * ```ts
 * import { remoteRequested } from "./backend.ts";
 * remoteRequested("http://127.0.0.1:7878"); // true
 * ```
 * @param url the `--server` value
 * @param env the environment
 */
export function remoteRequested(url?: string, env: EnvLookup = envOf): boolean {
  return remoteServerUrl(url, env) !== undefined;
}

/**
 * The URL of the server the CLI is asked to run against: `url`
 * (`--server`), else `AIMAX_SERVER`, else `undefined`.
 *
 * @example
 * ```ts
 * import { remoteServerUrl } from "./backend.ts";
 * remoteServerUrl(undefined, () => "http://10.0.0.2:7878"); // "http://10.0.0.2:7878"
 * ```
 * @param url the `--server` value
 * @param env the environment
 */
export function remoteServerUrl(
  url?: string,
  env: EnvLookup = envOf,
): string | undefined {
  return url || env("AIMAX_SERVER") || undefined;
}

/**
 * The server the CLI runs against: `url` (`--server`), else
 * `AIMAX_SERVER`; `undefined` for local mode. The token comes from
 * `AIMAX_SERVE_TOKEN`; without it, or with a URL that is not `http(s)://`,
 * a usage error (exit 2).
 *
 * @example
 * ```ts
 * import { remoteServer } from "./backend.ts";
 * const env = (name: string) => name === "AIMAX_SERVE_TOKEN" ? "t" : undefined;
 * remoteServer({ url: "http://127.0.0.1:7878", env }); // { url: "http://127.0.0.1:7878", token: "t" }
 * remoteServer({ env: () => undefined }); // undefined
 * ```
 * @param options `url` (`--server`) and the environment
 */
export function remoteServer(
  options: { url?: string; env?: EnvLookup } = {},
): RemoteServer | undefined {
  const env = options.env ?? envOf;
  const raw = remoteServerUrl(options.url, env);
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--server / AIMAX_SERVER takes http://HOST:PORT, got "${raw}"`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `--server / AIMAX_SERVER takes http://HOST:PORT, got "${raw}"`,
    );
  }
  // Not allowed to read it: the error says so (see README: Permissions).
  const token = options.env
    ? options.env("AIMAX_SERVE_TOKEN")
    : Deno.env.get("AIMAX_SERVE_TOKEN");
  if (!token) {
    throw new UsageError(
      `AIMAX_SERVE_TOKEN is required to use the server at ${url.origin} (the token \`aimax serve\` prints or keeps in its data dir)`,
    );
  }
  return { url: url.origin, token };
}

/** The JSON error body of the server. */
interface ErrorBody {
  error?: { code?: string; message?: string; dialog?: string; screen?: string };
}

/**
 * The error the server's JSON error stands for, as the same class a local
 * call throws (so the CLI's exit code and lines are the same).
 *
 * @example
 * ```ts
 * import { errorFromResponse } from "./backend.ts";
 * const error = errorFromResponse(404, {
 *   error: { code: "session_not_found", message: "no session named \"x\"" },
 * });
 * console.log(error.code); // "session_not_found"
 * ```
 * @param status the HTTP status
 * @param body the parsed body (`{error: {code, message, dialog?, screen?}}`)
 */
export function errorFromResponse(status: number, body: unknown): AimaxError {
  const error = (body as ErrorBody | undefined)?.error;
  const code = error?.code ?? "error";
  const message = error?.message ?? `the server answered HTTP ${status}`;
  switch (code) {
    case "awaiting_input":
      return new AwaitingInputError(
        message,
        error?.dialog ?? "",
        error?.screen ?? "",
      );
    case "usage":
      return new UsageError(message);
    case "invalid_input":
    case "bad_json":
      return new InputError(message);
    case "preflight_failed":
      return new PreflightError(message);
    case "unauthorized":
      return new AimaxError(
        code,
        `the server refused the token: check AIMAX_SERVE_TOKEN (${message})`,
      );
    default:
      return new AimaxError(code, message);
  }
}

/** Options of one request. */
interface CallOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The response of one request to `server`; a JSON error is thrown. */
async function request(
  server: RemoteServer,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const url = new URL(path, server.url);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = {
    authorization: `Bearer ${server.token}`,
    ...options.headers,
  };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined
        ? undefined
        : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    if (options.signal?.aborted) throw error;
    throw new AimaxError(
      "server_unreachable",
      `cannot reach the server at ${server.url}: ${
        (error instanceof Error ? error.message : String(error)).split("\n")[0]
      }`,
    );
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw errorFromResponse(response.status, body);
  }
  return response;
}

/** The JSON answer of one request to `server`. */
async function call<T>(
  server: RemoteServer,
  path: string,
  options: CallOptions = {},
): Promise<T> {
  const response = await request(server, path, options);
  try {
    return await response.json() as T;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new AimaxError(
      "bad_response",
      `the server at ${server.url} answered something that is not JSON`,
    );
  }
}

function sessionPath(sessionId: string, action = ""): string {
  const id = encodeURIComponent(validateSessionId(sessionId));
  return `/api/sessions/${id}${action ? `/${action}` : ""}`;
}

function abortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Follows the SSE stream at `path` and hands each message's parsed data to
 * `onMessage`. A dropped connection is opened again after a second, from
 * the last message's id when `resume`; an error answer ends it.
 */
async function follow(
  server: RemoteServer,
  path: string,
  options: {
    query?: CallOptions["query"];
    resume: boolean;
    onMessage: (data: unknown) => void;
  },
): Promise<Unsubscribe> {
  const abort = new AbortController();
  let lastId: string | undefined;
  const connect = async () => {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    const query = { ...options.query };
    if (options.resume && lastId !== undefined) {
      headers["last-event-id"] = lastId;
      delete query.from;
    }
    return await request(server, path, {
      query,
      headers,
      signal: abort.signal,
    });
  };
  const onMessage = (message: SseMessage) => {
    if (message.id !== undefined) lastId = message.id;
    options.onMessage(message.data);
  };
  let response: Response | undefined = await connect();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        if (!response) response = await connect();
        await readSse(response, onMessage);
      } catch (error) {
        // An error answer (the session is gone, the token changed) ends
        // the stream; a network error is retried.
        if (
          error instanceof AimaxError && error.code !== "server_unreachable"
        ) {
          break;
        }
      }
      response = undefined;
      if (!abort.signal.aborted) await abortable(1000, abort.signal);
    }
  })();
  return async () => {
    abort.abort();
    await loop;
  };
}

/**
 * Every session on the server (of `backend`, or of every backend): the rows
 * of `aimax list`.
 *
 * @example
 * ```ts ignore
 * import { listRemoteSessions, remoteServer } from "./backend.ts";
 * const rows = await listRemoteSessions(remoteServer()!);
 * ```
 * @param server the server
 * @param options `backend` to list one backend only
 */
export async function listRemoteSessions(
  server: RemoteServer,
  options: { backend?: string } = {},
): Promise<SessionStatus[]> {
  return await call<SessionStatus[]>(server, "/api/sessions", {
    query: { backend: options.backend },
  });
}

/**
 * Follows every session's events on the server (`aimax events`); sessions
 * created later join.
 *
 * @example
 * ```ts ignore
 * import { remoteServer, subscribeRemoteEvents } from "./backend.ts";
 * const stop = await subscribeRemoteEvents(remoteServer()!, (e) => console.log(e.type));
 * await stop();
 * ```
 * @param server the server
 * @param listener receives each event (without its raw record)
 * @param options only the events of `sessionId` or of `backend`
 */
export async function subscribeRemoteEvents(
  server: RemoteServer,
  listener: (event: AgentEvent) => void,
  options: { sessionId?: string; backend?: string } = {},
): Promise<Unsubscribe> {
  return await follow(server, "/api/events", {
    resume: false,
    onMessage: (data) => {
      const event = data as AgentEvent;
      if (options.sessionId && event.sessionId !== options.sessionId) return;
      if (options.backend && event.backend !== options.backend) return;
      listener(event);
    },
  });
}

/**
 * The backend of session `sessionId` on the server: `backend` when given,
 * else the one the server reports for the session (no such session: exit
 * 3, as locally).
 *
 * @example
 * ```ts ignore
 * import { remoteBackendOf, remoteServer } from "./backend.ts";
 * const backend = await remoteBackendOf(remoteServer()!, { sessionId: "demo" });
 * console.log((await backend.status("demo")).state);
 * ```
 * @param server the server
 * @param options the session id and the `-b` backend
 */
export async function remoteBackendOf(
  server: RemoteServer,
  options: { sessionId?: string; backend?: string },
): Promise<RemoteBackend> {
  if (options.backend) return new RemoteBackend(server, options.backend);
  const sessionId = validateSessionId(options.sessionId);
  const status = await call<SessionStatus>(server, sessionPath(sessionId));
  return new RemoteBackend(server, status.backend);
}

/**
 * One backend of a remote `aimax serve`, with the methods of the local
 * backend that the CLI's commands call.
 *
 * @example
 * ```ts ignore
 * import { RemoteBackend } from "./backend.ts";
 * const backend = new RemoteBackend(
 *   { url: "http://127.0.0.1:7878", token: "secret" },
 *   "tmux-claude-code",
 * );
 * console.log(await backend.listSessions());
 * ```
 */
export class RemoteBackend {
  /** The server. */
  readonly server: RemoteServer;
  /** The backend's name (`tmux-claude-code`). */
  readonly name: string;
  /** The agent's profile (labels, how its transcript reads). */
  readonly profile: AgentProfile;

  /**
   * A client of `backend` on `server`.
   *
   * @param server the server
   * @param backend the backend's name (unknown: exit 2)
   */
  constructor(server: RemoteServer, backend: string) {
    this.server = server;
    this.profile = get(backend).profile;
    this.name = backend;
  }

  #call<T>(path: string, options: CallOptions = {}): Promise<T> {
    return call<T>(this.server, path, {
      ...options,
      query: { backend: this.name, ...options.query },
    });
  }

  /**
   * Starts a session on the server and submits its first prompt (the
   * progress callbacks are not called).
   *
   * @param options what to start; `cwd` is a directory of the server's host
   */
  async createNewSession(
    options: CreateSessionOptions,
  ): Promise<CreateSessionResult> {
    const { warnings, ...result } = await call<
      CreateSessionResult & { warnings?: string[] }
    >(this.server, "/api/sessions", {
      method: "POST",
      body: {
        backend: this.name,
        sessionId: options.sessionId,
        cwd: options.cwd,
        prompt: options.initialPrompt,
        model: options.model,
        agentSessionId: options.agentSessionId,
        displayName: options.displayName,
        flagRoot: options.flagRoot,
        useProxy: options.useProxy,
      },
    });
    for (const warning of warnings ?? []) options.onWarning?.(warning);
    return result;
  }

  async #send(options: SendOptions, mode: string): Promise<SendResult> {
    const { sent: _sent, ...result } = await this.#call<
      SendResult & { sent?: boolean }
    >(
      sessionPath(options.sessionId, "send"),
      {
        method: "POST",
        body: {
          prompt: options.prompt,
          mode,
          key: options.idempotencyKey,
          whenReady: options.whenReadyMs === undefined
            ? undefined
            : options.whenReadyMs / 1000,
          flagRoot: options.flagRoot,
        },
      },
    );
    return result;
  }

  /**
   * Sends a prompt without interrupting: queued if a turn runs.
   *
   * @param options session and prompt
   */
  async noPauseCurrentAndQueueQueryAtSession(
    options: SendOptions,
  ): Promise<SendResult> {
    return await this.#send(options, "queue");
  }

  /**
   * Interrupts the running turn (if any), then sends the prompt.
   *
   * @param options session and prompt
   */
  async pauseCurrentAndResumeFromSession(
    options: SendOptions,
  ): Promise<SendResult> {
    return await this.#send(options, "interrupt");
  }

  /**
   * Kills the session's window and archives it.
   *
   * @param sessionId session id
   */
  async terminateSession(sessionId: string): Promise<TerminateResult> {
    return await this.#call<TerminateResult>(sessionPath(sessionId), {
      method: "DELETE",
    });
  }

  /**
   * The status of one session.
   *
   * @param sessionId session id
   */
  async status(sessionId: string): Promise<SessionStatus> {
    return await this.#call<SessionStatus>(sessionPath(sessionId));
  }

  /** Every session of this backend on the server. */
  async listSessions(): Promise<SessionStatus[]> {
    return await listRemoteSessions(this.server, { backend: this.name });
  }

  /**
   * The session's state now and why.
   *
   * @param sessionId session id
   */
  async getState(sessionId: string): Promise<StateReading> {
    const status = await this.status(sessionId);
    return {
      state: status.state,
      reason: status.stateReason,
      ...(status.dialog ? { dialog: status.dialog } : {}),
    };
  }

  /**
   * Waits until the session's current turn ends (on the server).
   *
   * @param sessionId session id
   * @param options `timeoutMs`, `signal`, `since` (this host's clock: sent
   *   as an age, so the two clocks need not agree)
   */
  async waitForTurn(
    sessionId: string,
    options: WaitOptions = {},
  ): Promise<TurnOutcome> {
    const { sessionId: _id, ...turn } = await this.#call<
      TurnOutcome & { sessionId: string }
    >(sessionPath(sessionId, "wait"), {
      method: "POST",
      body: {
        timeout: options.timeoutMs === undefined
          ? undefined
          : options.timeoutMs / 1000,
        sinceAgo: options.since === undefined
          ? undefined
          : Math.max(0, Date.now() - options.since) / 1000,
        prompt: options.prompt,
      },
      signal: options.signal,
    });
    return turn;
  }

  /**
   * The session's screen as a person would see it.
   *
   * @param sessionId session id
   */
  async screen(sessionId: string): Promise<string> {
    const answer = await this.#call<{ screen: string }>(
      sessionPath(sessionId, "screen"),
    );
    return answer.screen;
  }

  /**
   * Presses tmux keys in the session's pane.
   *
   * @param sessionId session id
   * @param keys tmux key names, pressed in order
   */
  async sendKeys(sessionId: string, keys: readonly string[]): Promise<void> {
    await this.#call(sessionPath(sessionId, "keys"), {
      method: "POST",
      body: { keys },
    });
  }

  /**
   * Refused: a remote session's window is on the server's host.
   *
   * @param _sessionId session id
   */
  attachCommand(_sessionId: string): Promise<string[]> {
    return Promise.reject(
      new UsageError(
        "attach runs on the server's host (ssh there); here use `aimax screen` and `aimax keys`",
      ),
    );
  }

  /**
   * The transcript so far.
   *
   * @param sessionId session id
   * @param options `fromOffset`, `limit`
   */
  async getHistory(
    sessionId: string,
    options: HistoryOptions = {},
  ): Promise<JsonlReadResult> {
    return await this.#call<JsonlReadResult>(
      sessionPath(sessionId, "history"),
      { query: { from: options.fromOffset, limit: options.limit } },
    );
  }

  /**
   * Follows the transcript live (SSE), from `fromOffset` or new entries.
   *
   * @param sessionId session id
   * @param listener receives each record and its entry
   * @param options `fromOffset` to resume from a sentinel
   * @returns a function that stops it
   */
  async getAgentRawThoughtStream(
    sessionId: string,
    listener: ThoughtListener,
    options: StreamOptions = {},
  ): Promise<Unsubscribe> {
    return await follow(this.server, sessionPath(sessionId, "stream"), {
      query: { backend: this.name, from: options.fromOffset },
      resume: true,
      onMessage: (data) => {
        const entry = data as JsonlEntry;
        listener(entry.value, entry);
      },
    });
  }

  /**
   * Follows the transcript live as events (SSE).
   *
   * @param sessionId session id
   * @param listener receives each event
   * @param options `fromOffset` to resume from a sentinel
   * @returns a function that stops it
   */
  async getEventStream(
    sessionId: string,
    listener: (event: AgentEvent) => void,
    options: StreamOptions = {},
  ): Promise<Unsubscribe> {
    return await follow(this.server, sessionPath(sessionId, "stream"), {
      query: { backend: this.name, from: options.fromOffset, events: 1 },
      resume: true,
      onMessage: (data) => {
        const { end: _end, ...event } = data as AgentEvent & { end?: number };
        listener(event as AgentEvent);
      },
    });
  }
}
