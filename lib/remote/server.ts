/**
 * Where a remote `aimax serve` is, the token it takes and how long it is
 * given to answer: `--server` or `AIMAX_SERVER`, `AIMAX_SERVE_TOKEN`, and
 * `--server-timeout` or `AIMAX_SERVER_TIMEOUT`; every time limit of the
 * remote client in {@linkcode REMOTE_TIMINGS}.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/**
 * The time limits (and counts) of the remote client, in milliseconds.
 *
 * @example
 * ```ts
 * import type { RemoteTimings } from "./server.ts";
 * const quick: Partial<RemoteTimings> = { streamBackoffMs: 10 };
 * ```
 */
export interface RemoteTimings {
  /**
   * Default of `--server-timeout` / `AIMAX_SERVER_TIMEOUT`: the server must
   * accept the connection and start its answer within this long (a request
   * that waits by design gets its own wait on top), and an answer or a
   * stream may not fall silent for longer.
   */
  readonly timeoutMs: number;
  /**
   * What an action (`create`, `send`, `pause`, `stop`, `keys`) is given on
   * top of the timeout: the server's own limits (starting the agent, a
   * session's lock, landing the prompt). `send --when-ready` adds its own.
   */
  readonly actionMs: number;
  /**
   * A wait's request lives as long as its `--timeout` plus this; without a
   * `--timeout`, as long as the server answers a check every timeout.
   */
  readonly waitMarginMs: number;
  /**
   * The shortest silence a stream is allowed, whatever the timeout: the
   * server sends a ping every 15 s.
   */
  readonly streamIdleMinMs: number;
  /** Tries in a row a stream gets before it fails (a try that read a message resets them). */
  readonly streamTries: number;
  /** The pause before a stream's second try; it doubles with each try. */
  readonly streamBackoffMs: number;
  /** The longest pause between a stream's tries. */
  readonly streamBackoffMaxMs: number;
  /**
   * The slowest pace, in bytes per second, an answer may come at once it
   * has taken longer than the timeout: a JSON answer must be whole within
   * the timeout plus a second per this many bytes, an SSE message within
   * the stream's silence limit plus the same. A server that trickles a byte
   * at a time (never silent for long, never done) is cut off.
   */
  readonly answerFloorBytesPerS: number;
}

/**
 * Every time limit (and count) of the remote client, in one object.
 *
 * @example
 * ```ts
 * import { REMOTE_TIMINGS } from "./server.ts";
 * console.log(REMOTE_TIMINGS.timeoutMs); // 30000
 * ```
 */
export const REMOTE_TIMINGS: RemoteTimings = Object.freeze({
  timeoutMs: 30_000,
  actionMs: 240_000,
  waitMarginMs: 5_000,
  streamIdleMinMs: 45_000,
  streamTries: 5,
  streamBackoffMs: 500,
  streamBackoffMaxMs: 8_000,
  answerFloorBytesPerS: 64 * 1024,
});

/**
 * Where the server is and the token it takes.
 *
 * @example
 * ```ts
 * import type { RemoteServer } from "./server.ts";
 * const server: RemoteServer = { url: "http://127.0.0.1:7878", token: "secret" };
 * ```
 */
export interface RemoteServer {
  /** Base URL, `http://host:port`. */
  readonly url: string;
  /** The bearer token (`AIMAX_SERVE_TOKEN`). */
  readonly token: string;
  /**
   * `--server-timeout` / `AIMAX_SERVER_TIMEOUT` in ms (default
   * {@linkcode REMOTE_TIMINGS.timeoutMs}).
   */
  readonly timeoutMs?: number;
}

/**
 * Reads one environment variable (`undefined` when unset or not allowed).
 *
 * @example
 * ```ts
 * import type { EnvLookup } from "./server.ts";
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
 * import { remoteRequested } from "./server.ts";
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
 * import { remoteServerUrl } from "./server.ts";
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
 * a usage error (exit 2). `timeout` (`--server-timeout`), else
 * `AIMAX_SERVER_TIMEOUT`, in seconds, sets its `timeoutMs`.
 *
 * @example
 * ```ts
 * import { remoteServer } from "./server.ts";
 * const env = (name: string) => name === "AIMAX_SERVE_TOKEN" ? "t" : undefined;
 * remoteServer({ url: "http://127.0.0.1:7878", env }); // { url: "http://127.0.0.1:7878", token: "t" }
 * remoteServer({ env: () => undefined }); // undefined
 * ```
 * @param options `url` (`--server`), `timeout` (`--server-timeout`) and the environment
 */
export function remoteServer(
  options: { url?: string; timeout?: string; env?: EnvLookup } = {},
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
  const timeout = options.timeout ?? env("AIMAX_SERVER_TIMEOUT");
  if (timeout === undefined || timeout === "") {
    return { url: url.origin, token };
  }
  if (!/^\d+(\.\d+)?$/.test(timeout) || Number(timeout) <= 0) {
    throw new UsageError(
      `--server-timeout / AIMAX_SERVER_TIMEOUT takes seconds (more than 0), got "${timeout}"`,
    );
  }
  return {
    url: url.origin,
    token,
    timeoutMs: Math.round(Number(timeout) * 1000),
  };
}
