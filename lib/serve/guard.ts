/**
 * What a request must pass before any route: a `Host` header naming the
 * address the server is bound to (a page on loopback is a target for DNS
 * rebinding), a same-origin `Origin` on state-changing requests and
 * WebSocket upgrades (cross-site requests), and a capped body.
 *
 * @module
 */
import { HttpError } from "./http.ts";

/** Default cap of a request body: 1 MiB (a prompt is at most 256 KiB). */
export const MAX_BODY_BYTES = 1024 * 1024;

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]", ""]);

/**
 * Whether `hostname` is a loopback address or `localhost`.
 *
 * @example
 * ```ts
 * import { isLoopback } from "./guard.ts";
 * isLoopback("127.0.0.1"); // true
 * isLoopback("0.0.0.0"); // false
 * ```
 * @param hostname an address or name
 */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The `Host` header values the server answers: the bound address and port
 * (plus `localhost` and the other loopback spellings when bound to
 * loopback), or `undefined` (any) when bound to every interface, where the
 * token is the guard.
 *
 * @example
 * ```ts
 * import { allowedHosts } from "./guard.ts";
 * allowedHosts("127.0.0.1", 7878); // Set {"127.0.0.1:7878", "localhost:7878", "[::1]:7878"}
 * ```
 * @param hostname the bound address
 * @param port the bound port
 */
export function allowedHosts(
  hostname: string,
  port: number,
): Set<string> | undefined {
  if (WILDCARDS.has(hostname)) return undefined;
  const bare = hostname.replace(/^\[|\]$/g, "");
  const names = new Set([bare.includes(":") ? `[${bare}]` : bare]);
  if (isLoopback(bare)) {
    names.add("localhost").add("127.0.0.1").add("[::1]");
  }
  return new Set([...names].map((name) => `${name}:${port}`.toLowerCase()));
}

/**
 * Refuses a request whose `Host` is not one the server is bound to (403),
 * and a cross-site browser request that changes state or opens a
 * WebSocket (403): its `Origin` must be the server's own.
 *
 * @example
 * ```ts
 * import { allowedHosts, checkRequest } from "./guard.ts";
 * const request = new Request("http://127.0.0.1:7878/api/sessions");
 * checkRequest(request, { hosts: allowedHosts("127.0.0.1", 7878) });
 * ```
 * @param request the request
 * @param options the allowed `Host` values (`undefined`: any)
 * @throws {HttpError} 403 `bad_host` or `cross_origin`
 */
export function checkRequest(
  request: Request,
  options: { hosts: Set<string> | undefined },
): void {
  const host = (request.headers.get("host") ?? new URL(request.url).host)
    .toLowerCase();
  if (options.hosts && !options.hosts.has(host)) {
    throw new HttpError(
      403,
      "bad_host",
      `Host "${host}" is not this server's address`,
    );
  }
  const changes = !["GET", "HEAD", "OPTIONS"].includes(request.method);
  const upgrade = request.headers.get("upgrade")?.toLowerCase() === "websocket";
  if (!changes && !upgrade) return;
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if (site === "cross-site" || site === "same-site") {
    throw new HttpError(403, "cross_origin", "cross-site request refused");
  }
  // Non-browser clients (the CLI, curl) send no Origin.
  if (origin === null) return;
  let originHost: string;
  try {
    const url = new URL(origin);
    originHost = url.protocol === "http:" || url.protocol === "https:"
      ? url.host.toLowerCase()
      : "";
  } catch {
    originHost = "";
  }
  if (originHost !== host) {
    throw new HttpError(
      403,
      "cross_origin",
      `Origin "${origin}" is not this server`,
    );
  }
}

/**
 * The request's JSON body (an object), read up to `maxBytes`.
 *
 * @example
 * ```ts
 * import { readJsonBody } from "./guard.ts";
 * const request = new Request("http://x/", { method: "POST", body: '{"a":1}' });
 * const body = await readJsonBody(request, { maxBytes: 1024 }); // { a: 1 }
 * ```
 * @param request the request
 * @param options the cap
 * @throws {HttpError} 413 `too_large`, 400 `bad_json`
 */
export async function readJsonBody(
  request: Request,
  options: { maxBytes?: number } = {},
): Promise<Record<string, unknown>> {
  const max = options.maxBytes ?? MAX_BODY_BYTES;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) {
    throw new HttpError(413, "too_large", `request body over ${max} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw new HttpError(413, "too_large", `request body over ${max} bytes`);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new HttpError(400, "bad_json", "the request body is not valid JSON");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new HttpError(400, "bad_json", "the request body must be an object");
  }
  return value as Record<string, unknown>;
}
