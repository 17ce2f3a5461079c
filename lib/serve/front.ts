/**
 * The server's front door: the TCP listener that clients reach. `Deno.serve`
 * has no limit on how long a client may take to send a request's headers
 * (denoland/deno#3515), so a client that opens connections and dribbles
 * header bytes holds them for ever. The front accepts each connection,
 * gives every request's headers {@linkcode FrontLimits.headerTimeoutMs} and
 * {@linkcode FrontLimits.maxHeaderBytes}, refuses a malformed
 * `Content-Length` with a JSON 400, caps open connections, and relays the
 * bytes, unchanged, to the real server listening on a private socket.
 *
 * It follows requests through a connection (headers, then `Content-Length`
 * bytes of body, then the next headers), so a kept-alive connection gets the
 * same limit for each request. A request it cannot follow (a chunked body,
 * a WebSocket upgrade) turns the rest of its connection into a plain relay.
 * A connection that is silent between requests is not timed: a stream's
 * client sends nothing while it reads; the connection cap bounds them.
 *
 * @module
 */
import { ERRORS } from "../errors.ts";

/**
 * The front's limits.
 *
 * @example
 * ```ts
 * import { FRONT_LIMITS, type FrontLimits } from "./front.ts";
 * const quick: FrontLimits = { ...FRONT_LIMITS, headerTimeoutMs: 1_000 };
 * ```
 */
export interface FrontLimits {
  /** How long a request's headers may take, from their first byte (from accepting, for a connection's first request). */
  readonly headerTimeoutMs: number;
  /** The most bytes a request's line and headers may have (beyond: 431). */
  readonly maxHeaderBytes: number;
  /** Connections open at once; one more is closed at once. */
  readonly maxConnections: number;
}

/**
 * The default limits.
 *
 * @example
 * ```ts
 * import { FRONT_LIMITS } from "./front.ts";
 * console.log(FRONT_LIMITS.headerTimeoutMs); // 10000
 * ```
 */
export const FRONT_LIMITS: FrontLimits = Object.freeze({
  headerTimeoutMs: 10_000,
  maxHeaderBytes: 64 * 1024,
  maxConnections: 1_024,
});

/**
 * Options of {@linkcode listenFront}.
 *
 * @example
 * ```ts
 * import type { FrontOptions } from "./front.ts";
 * const options: FrontOptions = {
 *   target: { transport: "unix", path: "/tmp/x.sock" },
 *   signal: new AbortController().signal,
 * };
 * ```
 */
export interface FrontOptions {
  /** Where the real server listens. */
  target: Deno.ConnectOptions | Deno.UnixConnectOptions;
  /** Stops listening and closes every connection. */
  signal: AbortSignal;
  /** Limits (default {@linkcode FRONT_LIMITS}). */
  limits?: Partial<FrontLimits>;
}

/**
 * A listening front.
 *
 * @example
 * ```ts
 * import type { Front } from "./front.ts";
 * const show = (front: Front) => console.log(front.addr.port);
 * ```
 */
export interface Front {
  /** The bound address. */
  addr: Deno.NetAddr;
  /** Resolves when the listener and every connection are closed. */
  finished: Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEAD_END = encoder.encode("\r\n\r\n");
const READ_BYTES = 64 * 1024;

/**
 * Accepts the connections of `listener` and relays each to `target`, under
 * the limits.
 *
 * @example
 * ```ts ignore
 * import { listenFront } from "./front.ts";
 * const stop = new AbortController();
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const front = listenFront(listener, {
 *   target: { transport: "unix", path: "/tmp/server.sock" },
 *   signal: stop.signal,
 * });
 * console.log(front.addr.port);
 * ```
 * @param listener where clients connect (closed when `signal` aborts)
 * @param options where to relay, when to stop, limits
 */
export function listenFront(
  listener: Deno.Listener<Deno.TcpConn, Deno.NetAddr>,
  options: FrontOptions,
): Front {
  const limits = { ...FRONT_LIMITS, ...options.limits };
  const open = new Set<Promise<void>>();
  const conns = new Set<Deno.Conn>();
  const stop = () => {
    try {
      listener.close();
    } catch { /* closed */ }
    for (const conn of conns) closeQuietly(conn);
  };
  options.signal.addEventListener("abort", stop, { once: true });
  const accepting = (async () => {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        break; // closed
      }
      if (conns.size >= limits.maxConnections) {
        closeQuietly(conn);
        continue;
      }
      conns.add(conn);
      const done: Promise<void> = relay(conn, {
        target: options.target,
        limits,
      }).finally(() => {
        conns.delete(conn);
        open.delete(done);
      });
      open.add(done);
    }
  })();
  const finished = (async () => {
    await accepting;
    while (open.size > 0) await Promise.allSettled([...open]);
  })();
  return { addr: listener.addr, finished };
}

function closeQuietly(conn: { close(): void }): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}

/**
 * Where a connection's inbound bytes are in its current request: in its
 * headers (`started` once their first byte came), in `left` bytes of body,
 * or past what the front follows.
 */
export type Framing =
  | { kind: "head"; bytes: Uint8Array[]; size: number; started: boolean }
  | { kind: "body"; left: number }
  | { kind: "opaque" };

/**
 * A request the front refuses before the server sees it: answered with
 * `status` (on a connection's first request) and closed.
 */
export class Refusal {
  /** The answer's status, from the errors table. */
  readonly status: number;
  /**
   * @param code the error's code
   * @param reason the status line's reason phrase
   * @param message what the client is told
   */
  constructor(
    readonly code: "invalid_input" | "request_timeout" | "headers_too_large",
    readonly reason: string,
    readonly message: string,
  ) {
    this.status = ERRORS[code].http;
  }
}

function startHead(started: boolean): Framing {
  return { kind: "head", bytes: [], size: 0, started };
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function indexOfHeadEnd(bytes: Uint8Array, from: number): number {
  outer: for (let i = Math.max(0, from); i + 4 <= bytes.length; i++) {
    for (let j = 0; j < 4; j++) {
      if (bytes[i + j] !== HEAD_END[j]) continue outer;
    }
    return i + 4;
  }
  return -1;
}

/**
 * What follows a request's headers: `Content-Length` bytes of body, or
 * nothing the front can follow (a chunked body, an upgrade). Throws a
 * {@linkcode Refusal} for a `Content-Length` that is not one whole number.
 *
 * @example
 * ```ts
 * import { framingAfter } from "./front.ts";
 * framingAfter("POST / HTTP/1.1\r\ncontent-length: 5"); // { kind: "body", left: 5 }
 * ```
 * @param head the request line and headers, without the blank line
 */
export function framingAfter(head: string): Framing {
  const lines = head.split("\r\n").slice(1);
  const lengths: string[] = [];
  let opaque = false;
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-length") lengths.push(...value.split(","));
    if (name === "transfer-encoding" || name === "upgrade") opaque = true;
  }
  if (lengths.length > 0) {
    const values = new Set(lengths.map((l) => l.trim()));
    const [value] = values;
    if (values.size > 1 || !/^\d{1,15}$/.test(value)) {
      throw new Refusal(
        "invalid_input",
        "Bad Request",
        "the Content-Length header must be one whole number of bytes",
      );
    }
    if (opaque) {
      throw new Refusal(
        "invalid_input",
        "Bad Request",
        "a request has either a Content-Length or a Transfer-Encoding, not both",
      );
    }
    const left = Number(value);
    return left > 0 ? { kind: "body", left } : startHead(false);
  }
  return opaque ? { kind: "opaque" } : startHead(false);
}

function refusalBytes(refusal: Refusal): Uint8Array {
  const { code } = refusal;
  const body = JSON.stringify({
    error: { code, message: refusal.message },
  });
  return encoder.encode(
    `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\n` +
      "content-type: application/json; charset=utf-8\r\n" +
      `content-length: ${encoder.encode(body).length}\r\n` +
      "connection: close\r\n\r\n" + body,
  );
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

function connectTo(target: FrontOptions["target"]): Promise<Deno.Conn> {
  return target.transport === "unix"
    ? Deno.connect(target)
    : Deno.connect(target);
}

/**
 * Relays one client connection: its inbound bytes are followed request by
 * request; the server's bytes go back as they come.
 */
async function relay(
  client: Deno.Conn,
  { target, limits }: { target: FrontOptions["target"]; limits: FrontLimits },
): Promise<void> {
  let upstream: Deno.Conn | undefined;
  let back: Promise<void> | undefined;
  let framing: Framing = startHead(true);
  let requests = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refuse = async (refusal: Refusal) => {
    // An answer only where no other answer can be on its way.
    if (requests === 0) {
      await writeAll(client, refusalBytes(refusal)).catch(() => undefined);
    }
    closeQuietly(client);
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      void refuse(
        new Refusal(
          "request_timeout",
          "Request Timeout",
          `a request's headers must arrive within ${limits.headerTimeoutMs} ms`,
        ),
      );
    }, limits.headerTimeoutMs);
  };
  const disarm = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  const forward = async (bytes: Uint8Array) => {
    if (!upstream) {
      upstream = await connectTo(target);
      back = upstream.readable.pipeTo(client.writable, { preventClose: true })
        .catch(() => undefined)
        .finally(() => closeQuietly(client));
    }
    await writeAll(upstream, bytes);
  };
  const tooLarge = new Refusal(
    "headers_too_large",
    "Request Header Fields Too Large",
    `a request's headers may have at most ${limits.maxHeaderBytes} bytes`,
  );
  // Whether the client ended its side cleanly (the server may still answer).
  let ended = false;
  arm();
  const buffer = new Uint8Array(READ_BYTES);
  try {
    reading: for (;;) {
      const n = await client.read(buffer);
      if (n === null) {
        ended = true;
        break;
      }
      let chunk: Uint8Array = buffer.slice(0, n);
      while (chunk.length > 0) {
        if (framing.kind === "opaque") {
          await forward(chunk);
          break;
        }
        if (framing.kind === "body") {
          const take = Math.min(framing.left, chunk.length);
          await forward(chunk.subarray(0, take));
          framing.left -= take;
          chunk = chunk.subarray(take);
          if (framing.left === 0) framing = startHead(false);
          continue;
        }
        if (!framing.started) {
          framing.started = true;
          arm();
        }
        const searchFrom = framing.size - 3;
        framing.bytes.push(chunk);
        framing.size += chunk.length;
        const head = concat(framing.bytes, framing.size);
        const end = indexOfHeadEnd(head, searchFrom);
        if (end < 0 || end > limits.maxHeaderBytes) {
          if (end > 0 || framing.size > limits.maxHeaderBytes) {
            await refuse(tooLarge);
            break reading;
          }
          framing.bytes = [head];
          break;
        }
        disarm();
        let next: Framing;
        try {
          next = framingAfter(decoder.decode(head.subarray(0, end)));
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          await refuse(error);
          break reading;
        }
        await forward(head.subarray(0, end));
        requests++;
        framing = next;
        chunk = head.subarray(end);
      }
    }
  } catch {
    // A reset or closed connection ends the relay.
  } finally {
    disarm();
  }
  if (ended && upstream) {
    await upstream.closeWrite().catch(() => undefined);
  } else {
    closeQuietly(client);
    if (upstream) closeQuietly(upstream);
  }
  await back;
  if (upstream) closeQuietly(upstream);
  if (!upstream) closeQuietly(client);
}
