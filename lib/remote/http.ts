/**
 * One request to a remote `aimax serve`: the token sent, the JSON answer
 * read, and the server's JSON errors thrown as the same error classes as
 * local ones (so the CLI prints the same lines and exits with the same
 * codes). No request waits without end: the server must start its answer
 * within the timeout (a request that waits by design gets its own wait on
 * top, and is checked on meanwhile), and an answer may not fall silent for
 * longer than the timeout nor grow past its cap.
 *
 * @module
 */
import {
  AgentScreenError,
  AimaxError,
  AwaitingInputError,
  type ErrorCode,
  ERRORS,
  InputError,
  isErrorCode,
  NoInputBoxError,
  PreflightError,
  SessionExistsError,
  SessionNotFoundError,
  UsageError,
} from "../errors.ts";
import { REMOTE_TIMINGS, type RemoteServer } from "./server.ts";

/** A field of a server's error body when it is a string, else `undefined`. */
function textField(
  error: Record<string, unknown>,
  field: string,
): string | undefined {
  const value = error[field];
  return typeof value === "string" ? value : undefined;
}

/**
 * The error the server's JSON error stands for, as the same class a local
 * call throws (the class `ERRORS` names for its code, so the CLI's exit
 * code and lines are the same): a `screen` that comes with it is kept
 * (`no_input_box`, `agent_screen`, a dialog). A class whose own fields do
 * not travel (a tmux argv, a state file's path, a lock's holder) comes
 * back as an {@linkcode AimaxError} with the same code. Only fields that
 * are strings are read: an error body of another shape is the server's
 * `HTTP <status>`, never an error whose use throws.
 *
 * @example
 * ```ts
 * import { errorFromResponse } from "./http.ts";
 * const error = errorFromResponse(404, {
 *   error: { code: "session_not_found", message: "no session named \"x\"" },
 * });
 * console.log(error.code); // "session_not_found"
 * ```
 * @param status the HTTP status
 * @param body the parsed body (`{error: {code, message, dialog?, screen?}}`)
 */
export function errorFromResponse(status: number, body: unknown): AimaxError {
  const raw = body !== null && typeof body === "object"
    ? (body as { error?: unknown }).error
    : undefined;
  const error: Record<string, unknown> =
    raw !== null && typeof raw === "object" && !Array.isArray(raw)
      ? raw as Record<string, unknown>
      : {};
  const wire = textField(error, "code") ?? "error";
  const message = textField(error, "message") ??
    `the server answered HTTP ${status}`;
  const screen = textField(error, "screen");
  /** The error with its code and message, and the screen when one came. */
  const plain = (code: ErrorCode) =>
    screen === undefined
      ? new AimaxError(code, message)
      : new AgentScreenError(message, screen, { code });
  if (!isErrorCode(wire)) {
    // A code this version does not know (a newer server's) is kept as the
    // server sent it, for scripts that read `--json`; it exits as `error`.
    return plain(wire as ErrorCode);
  }
  const code = wire;
  if (code === "unauthorized") {
    return new AimaxError(
      code,
      `the server refused the token: check AIMAX_SERVE_TOKEN (${message})`,
    );
  }
  // A body the server could not read is bad input, as a local one is.
  if (code === "bad_json") return new InputError(message);
  switch (ERRORS[code].class) {
    case "AwaitingInputError":
      return new AwaitingInputError(
        message,
        textField(error, "dialog") ?? "",
        screen ?? "",
      );
    case "NoInputBoxError":
      return screen === undefined
        ? new AimaxError(code, message)
        : new NoInputBoxError(message, screen);
    case "UsageError":
      return new UsageError(message);
    case "InputError":
      return new InputError(message);
    case "PreflightError":
      return new PreflightError(message);
    case "SessionNotFoundError":
      return new SessionNotFoundError(undefined, "", { message });
    case "SessionExistsError":
      return new SessionExistsError("", "", { message });
    // Their own fields (the tmux argv, the state file's path, the lock's
    // holder) do not travel: the code does.
    case "TmuxError":
    case "StateCorruptError":
    case "LockTimeoutError":
    case "AgentScreenError":
    case "GitError":
    case "NotARepositoryError":
    case "BranchExistsError":
    case "WorktreeBusyError":
    case "DirtyTreeError":
    case "MergeConflictError":
    case "SetupError":
    case "AimaxError":
    case "HttpError":
    case "Error":
      return plain(code);
  }
}

/**
 * The largest JSON answer read: 64 MiB (a larger one is an error, so a
 * broken or hostile server cannot grow the CLI's memory without bound).
 *
 * @example
 * ```ts
 * import { MAX_ANSWER_BYTES } from "./http.ts";
 * console.log(MAX_ANSWER_BYTES / 2 ** 20); // 64
 * ```
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** The largest error answer read (its JSON `{error}`). */
const MAX_ERROR_BYTES = 1024 * 1024;

/** Options of one request. */
export interface CallOptions {
  /** HTTP method (default GET). */
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Query parameters (`undefined` ones left out). */
  query?: Record<string, string | number | undefined>;
  /** More headers. */
  headers?: Record<string, string>;
  /** Stops the request (then its own abort error is thrown). */
  signal?: AbortSignal;
  /**
   * How long the server may take to start its answer, for a request that
   * waits by design (a wait, a send); `Infinity` for no limit. Default: the
   * server's timeout. Past the timeout the server is checked on every
   * timeout (`GET alivePath`): one that does not answer the check within
   * the timeout ends the request.
   */
  answerWithinMs?: number;
  /** What to GET to check that the server still answers (default `/api/sessions?backend=`…). */
  alivePath?: string;
  /** The longest silence inside the answer (default: the server's timeout). */
  idleMs?: number;
  /** The largest answer read (default {@linkcode MAX_ANSWER_BYTES}). */
  maxBytes?: number;
  /**
   * An event stream: its body has no end to reach, so it is not held to
   * {@linkcode REMOTE_TIMINGS.answerFloorBytesPerS} as a whole (each of
   * its messages is, by `readSse`).
   */
  stream?: boolean;
}

/**
 * The server's timeout in ms (`--server-timeout`, `AIMAX_SERVER_TIMEOUT`,
 * else {@linkcode REMOTE_TIMINGS.timeoutMs}).
 *
 * @example
 * ```ts
 * import { timeoutOf } from "./http.ts";
 * timeoutOf({ url: "http://127.0.0.1:7878", token: "t" }); // 30000
 * ```
 * @param server the server
 */
export function timeoutOf(server: RemoteServer): number {
  return server.timeoutMs ?? REMOTE_TIMINGS.timeoutMs;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** The error of a server that does not answer in time. */
function timeoutError(server: RemoteServer, what: string): AimaxError {
  return new AimaxError(
    "server_timeout",
    `the server at ${server.url} ${what} (--server-timeout / AIMAX_SERVER_TIMEOUT)`,
  );
}

/**
 * Checks on the server every timeout while `pending` runs past it: one that
 * does not answer a `GET alivePath` within the timeout aborts `abort` with
 * a timeout error.
 */
function watchAlive(
  server: RemoteServer,
  options: { alivePath: string; abort: AbortController; timeoutMs: number },
): () => void {
  const { abort, timeoutMs } = options;
  let checking: AbortController | undefined;
  let stopped = false;
  const check = async () => {
    if (checking) return;
    checking = new AbortController();
    const timer = setTimeout(() => checking?.abort(), timeoutMs);
    try {
      const answer = await fetch(new URL(options.alivePath, server.url), {
        headers: { authorization: `Bearer ${server.token}` },
        signal: AbortSignal.any([checking.signal, abort.signal]),
      });
      await answer.body?.cancel();
    } catch {
      // No answer in time (or none at all): the server stopped answering.
      if (!stopped && !abort.signal.aborted) {
        abort.abort(
          timeoutError(
            server,
            `stopped answering: no answer in ${
              seconds(timeoutMs)
            }, and none to a check (GET ${options.alivePath}) either`,
          ),
        );
      }
    } finally {
      clearTimeout(timer);
      checking = undefined;
    }
  };
  const interval = setInterval(check, timeoutMs);
  return () => {
    stopped = true;
    clearInterval(interval);
    checking?.abort();
  };
}

/**
 * `response` whose body is read with a limit on silence (`idleMs`), on
 * size (`maxBytes`) and, when `paced`, on its pace (whole within `idleMs`
 * plus a second per {@linkcode REMOTE_TIMINGS.answerFloorBytesPerS}):
 * past any, reading it fails with a clear error and the connection is
 * dropped.
 */
function guarded(
  response: Response,
  options: {
    server: RemoteServer;
    idleMs: number;
    maxBytes: number;
    abort: AbortController;
    paced: boolean;
    signal?: AbortSignal;
  },
): Response {
  if (!response.body) return response;
  const { server, idleMs, maxBytes, abort } = options;
  const reader = response.body.getReader();
  const started = Date.now();
  const floor = REMOTE_TIMINGS.answerFloorBytesPerS;
  let total = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // The caller stopped (Ctrl-C): the read in flight ends now, not when
      // the server next sends (a stream's pings would keep it going).
      // Deno's fetch does not end a body already being read on abort.
      const stop = () => {
        const reason = options.signal?.reason;
        reader.cancel(reason).catch(() => {});
        try {
          controller.error(reason);
        } catch {
          // already closed or errored
        }
      };
      if (options.signal?.aborted) stop();
      else options.signal?.addEventListener("abort", stop, { once: true });
    },
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const silent = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(timeoutError(
              server,
              `fell silent: nothing for ${seconds(idleMs)} in its answer`,
            )),
          idleMs,
        );
      });
      try {
        const { value, done } = await Promise.race([reader.read(), silent]);
        if (done) return controller.close();
        total += value.byteLength;
        if (total > maxBytes) {
          throw new AimaxError(
            "response_too_large",
            `the server at ${server.url} answered more than ${
              Math.round(maxBytes / 2 ** 20)
            } MiB (the most a remote answer may hold)`,
          );
        }
        const took = Date.now() - started;
        if (options.paced && took > idleMs + total / floor * 1000) {
          throw timeoutError(
            server,
            `trickled its answer: ${total} bytes in ${
              seconds(took)
            }, slower than ${floor / 1024} KiB/s past the timeout`,
          );
        }
        controller.enqueue(value);
      } catch (error) {
        // A timeout of the whole request (its reason) wins over the abort
        // error the read then fails with.
        const reason = abort.signal.reason instanceof AimaxError
          ? abort.signal.reason
          : error;
        abort.abort(reason);
        reader.cancel(reason).catch(() => {});
        controller.error(reason);
      } finally {
        clearTimeout(timer);
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => {});
      abort.abort(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * The response of one request to `server`; a JSON error is thrown. Its
 * body is read with the limits of `options` (silence, size).
 *
 * @example
 * ```ts ignore
 * import { request } from "./http.ts";
 * const response = await request(server, "/api/events", {
 *   headers: { accept: "text/event-stream" },
 * });
 * ```
 * @param server the server
 * @param path the API path
 * @param options method, body, query, headers, abort signal and limits
 */
export async function request(
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
  const timeoutMs = timeoutOf(server);
  const within = options.answerWithinMs ?? timeoutMs;
  const abort = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, abort.signal])
    : abort.signal;
  // Past 2^31 - 1 ms a timer fires at once: as good as no limit.
  const deadline = within < 2 ** 31 - 1
    ? setTimeout(
      () =>
        abort.abort(
          timeoutError(server, `did not answer within ${seconds(within)}`),
        ),
      within,
    )
    : undefined;
  const stopWatching = within > timeoutMs
    ? watchAlive(server, {
      alivePath: options.alivePath ?? "/api/sessions?backend=",
      abort,
      timeoutMs,
    })
    : undefined;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined
        ? undefined
        : JSON.stringify(options.body),
      signal,
    });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    if (options.signal?.aborted) throw error;
    if (abort.signal.reason instanceof AimaxError) throw abort.signal.reason;
    throw new AimaxError(
      "server_unreachable",
      `cannot reach the server at ${server.url}: ${
        (error instanceof Error ? error.message : String(error)).split("\n")[0]
      }`,
    );
  } finally {
    clearTimeout(deadline);
    stopWatching?.();
  }
  const body = guarded(response, {
    server,
    idleMs: options.idleMs ?? timeoutMs,
    maxBytes: response.ok
      ? (options.maxBytes ?? MAX_ANSWER_BYTES)
      : MAX_ERROR_BYTES,
    abort,
    paced: !response.ok || options.stream !== true,
    signal: options.signal,
  });
  if (!response.ok) {
    const text = await body.text().catch(() => "");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    throw errorFromResponse(response.status, parsed);
  }
  return body;
}

/**
 * The JSON answer of one request to `server`, unchecked: see `shape.ts`
 * for the checks of each answer.
 *
 * @example
 * ```ts ignore
 * import { call } from "./http.ts";
 * const rows = await call<unknown>(server, "/api/sessions");
 * ```
 * @param server the server
 * @param path the API path
 * @param options method, body, query, headers, abort signal and limits
 */
export async function call<T>(
  server: RemoteServer,
  path: string,
  options: CallOptions = {},
): Promise<T> {
  const response = await request(server, path, options);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (error instanceof AimaxError) throw error;
    throw new AimaxError(
      "server_unreachable",
      `the server at ${server.url} broke off its answer: ${
        (error instanceof Error ? error.message : String(error)).split("\n")[0]
      }`,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new AimaxError(
      "bad_response",
      `the server at ${server.url} answered something that is not JSON`,
    );
  }
}
