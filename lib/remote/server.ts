/**
 * Where a remote `aimax serve` is and the token it takes: `--server` or
 * `AIMAX_SERVER`, and `AIMAX_SERVE_TOKEN`.
 *
 * @module
 */
import { UsageError } from "../cli/command.ts";

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
 * a usage error (exit 2).
 *
 * @example
 * ```ts
 * import { remoteServer } from "./server.ts";
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
