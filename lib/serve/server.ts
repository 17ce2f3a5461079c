/**
 * `serve()`: aimax's sessions over HTTP (REST, Server-Sent Events,
 * WebSocket) and a live page, on `Deno.serve`. One process holds one
 * shared tail per transcript however many clients follow it. Every `/api`
 * request needs the token; the `Host` header must name the bound address
 * and a state-changing browser request must come from the page itself.
 *
 * @module
 */
import { getConfig } from "../config.ts";
import { DEFAULT_HOST, DEFAULT_PORT } from "./address.ts";
import { securePrivateData, serveSocketPath } from "../private.ts";
import { handleApi } from "./api.ts";
import { allowedHosts, checkRequest, isLoopback } from "./guard.ts";
import { errorResponse, HttpError, httpErrorOf, jsonResponse } from "./http.ts";
import { type FrontLimits, listenFront } from "./front.ts";
import { EventHub } from "./hub.ts";
import { PAGE_CSS, PAGE_HTML, PAGE_ICON, PAGE_JS } from "./page.ts";
import { tokenInQuery } from "./routes.ts";
import {
  loadToken,
  type ServeToken,
  tokenCookie,
  tokenOf,
  tokensEqual,
} from "./token.ts";

/**
 * Options of {@linkcode serve}.
 *
 * @example
 * ```ts
 * import type { ServeOptions } from "@aimax/cli";
 * const options: ServeOptions = { hostname: "127.0.0.1", port: 0 };
 * ```
 */
export interface ServeOptions {
  /** Address to bind (default 127.0.0.1). */
  hostname?: string;
  /** Port (default 7878; 0 picks a free one). */
  port?: number;
  /** The token; default `AIMAX_SERVE_TOKEN`, else the data dir's token file. */
  token?: string;
  /** Where a generated token is kept (default: the config's data dir). */
  dataDir?: string;
  /** Cap of a request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Backlog cap of one stream client in bytes (default 4 MiB). */
  maxQueueBytes?: number;
  /** How often `/api/events` checks states (default 1 s). */
  checkMs?: number;
  /** More `Host` header values to accept (e.g. `myhost:7878`). */
  allowedHosts?: readonly string[];
  /** The front's limits: header time and size, open connections. */
  limits?: Partial<FrontLimits>;
  /** Receives the one-line reason of a request that failed with 500. */
  onError?: (line: string) => void;
}

/**
 * A running server.
 *
 * @example
 * ```ts
 * import { serve, type ServeHandle } from "@aimax/cli";
 * const server: ServeHandle = await serve({ port: 0, token: "s3cret" });
 * console.log(server.url);
 * await server.close();
 * ```
 */
export interface ServeHandle {
  /** The base URL, e.g. `http://127.0.0.1:7878/`. */
  url: string;
  /** Bound address. */
  hostname: string;
  /** Bound port. */
  port: number;
  /** The token and where it came from. */
  token: ServeToken;
  /** Whether the address is loopback only. */
  loopback: boolean;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Ends every stream and stops the server. */
  close(): Promise<void>;
}

const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

function asset(body: string, type: string): Response {
  return new Response(body, {
    headers: { ...PAGE_HEADERS, "content-type": `${type}; charset=utf-8` },
  });
}

/**
 * Starts the server. Resolves once it listens.
 *
 * @example
 * ```ts
 * import { serve } from "@aimax/cli";
 * const server = await serve({ port: 0, token: "s3cret" });
 * const response = await fetch(new URL("/api/sessions", server.url), {
 *   headers: { authorization: "Bearer s3cret" },
 * });
 * console.log(await response.json());
 * await server.close();
 * ```
 * @param options address, port, token, limits
 */
export async function serve(options: ServeOptions = {}): Promise<ServeHandle> {
  const hostname = options.hostname ?? DEFAULT_HOST;
  const dataDir = options.dataDir ?? getConfig().dataDir;
  const token = await loadToken(dataDir, { token: options.token });
  // Prompts and answers: a data dir left readable is made private now.
  await securePrivateData(dataDir).catch(() => undefined);
  const stopping = new AbortController();
  const hub = new EventHub({ checkMs: options.checkMs });
  const ctx = {
    hub,
    maxBodyBytes: options.maxBodyBytes,
    maxQueueBytes: options.maxQueueBytes,
    signal: stopping.signal,
  };
  // The allowed Host values, known once the port is (port 0).
  const guard: { hosts: Set<string> | undefined } = { hosts: undefined };

  const authorised = (request: Request, allowQuery: boolean) => {
    const given = tokenOf(request, { allowQuery });
    if (given === undefined || !tokensEqual(given, token.value)) {
      throw new HttpError(
        401,
        "unauthorized",
        given === undefined
          ? "a token is required (Authorization: Bearer <token>)"
          : "wrong token",
      );
    }
  };

  const route = async (request: Request): Promise<Response> => {
    checkRequest(request, guard);
    const url = new URL(request.url);
    if (url.pathname.startsWith("/api/") || url.pathname === "/api") {
      authorised(request, tokenInQuery(url.pathname));
      return await handleApi(request, ctx);
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      throw new HttpError(405, "method_not_allowed", "the page is read-only");
    }
    if (url.pathname === "/") {
      const given = url.searchParams.get("token");
      if (given !== null) {
        // Traded once for a cookie, and off the address bar.
        if (!tokensEqual(given, token.value)) {
          throw new HttpError(401, "unauthorized", "wrong token");
        }
        return new Response(null, {
          status: 303,
          headers: {
            ...PAGE_HEADERS,
            location: "/",
            "set-cookie": tokenCookie(token.value),
          },
        });
      }
      return asset(PAGE_HTML, "text/html");
    }
    if (url.pathname === "/app.js") return asset(PAGE_JS, "text/javascript");
    if (url.pathname === "/app.css") return asset(PAGE_CSS, "text/css");
    if (url.pathname === "/favicon.svg") {
      return asset(PAGE_ICON, "image/svg+xml");
    }
    throw new HttpError(404, "not_found", `no route ${url.pathname}`);
  };

  // Clients reach the front; the real server listens behind it on a
  // private socket named after the port, and the front times and sizes
  // each request's headers (Deno.serve has no such limit).
  const listener = Deno.listen({
    hostname,
    port: options.port ?? DEFAULT_PORT,
  });
  const handler = async (request: Request) => {
    try {
      return await route(request);
    } catch (error) {
      const report = httpErrorOf(error);
      if (report.status >= 500) {
        options.onError?.(
          `${request.method} ${
            new URL(request.url).pathname
          }: ${report.body.error.message}`,
        );
      }
      return jsonResponse(report.body, { status: report.status });
    }
  };
  let inner;
  try {
    inner = await serveBehind(handler, {
      dataDir,
      port: listener.addr.port,
      signal: stopping.signal,
    });
  } catch (error) {
    listener.close();
    throw error;
  }
  const { server, target, socket } = inner;
  const front = listenFront(listener, {
    target,
    signal: stopping.signal,
    limits: options.limits,
  });
  const finished = Promise.all([server.finished, front.finished]).then(
    async () => {
      if (socket) await Deno.remove(socket).catch(() => undefined);
    },
  );
  const port = front.addr.port;
  const bound = allowedHosts(hostname, port);
  // Bound to every interface: any Host (the token guards it).
  guard.hosts = bound && new Set([
    ...bound,
    ...(options.allowedHosts ?? []).map((h) => h.toLowerCase()),
  ]);
  const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}/`,
    hostname,
    port,
    token,
    loopback: isLoopback(hostname),
    finished,
    close() {
      closing ??= (async () => {
        stopping.abort();
        await hub.close();
        await finished;
      })();
      return closing;
    },
  };
}

/** The longest socket path every platform takes (`sun_path` less a margin). */
const MAX_SOCKET_PATH = 100;

/**
 * Starts the real server behind the front: on its private socket, or, where
 * that path is too long or not permitted (`--allow-net` without it), on a
 * loopback port (still behind the token).
 */
async function serveBehind(
  handler: (request: Request) => Promise<Response>,
  { dataDir, port, signal }: {
    dataDir: string;
    port: number;
    signal: AbortSignal;
  },
): Promise<{
  server: Deno.HttpServer;
  target: Deno.UnixConnectOptions | Deno.ConnectOptions;
  socket?: string;
}> {
  const common = {
    signal,
    onListen: () => {},
    onError: (error: unknown) => errorResponse(error),
  };
  const path = serveSocketPath(dataDir, port);
  if (new TextEncoder().encode(path).length <= MAX_SOCKET_PATH) {
    try {
      await Deno.mkdir(dataDir, { recursive: true, mode: 0o700 });
      // The front holds the port: a socket of that name is a dead server's.
      await Deno.remove(path).catch(() => undefined);
      const server = Deno.serve({ ...common, path }, handler);
      return { server, target: { transport: "unix", path }, socket: path };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotCapable)) throw error;
    }
  }
  const server = Deno.serve(
    { ...common, hostname: "127.0.0.1", port: 0 },
    handler,
  );
  return {
    server,
    target: { hostname: "127.0.0.1", port: server.addr.port },
  };
}
