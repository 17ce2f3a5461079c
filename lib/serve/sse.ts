/**
 * Server-Sent Events with a bounded queue per client: a client that stops
 * reading is dropped once its backlog passes the cap ({@linkcode
 * BacklogGuard}; it reconnects with `Last-Event-ID` and misses nothing), so
 * one slow client never blocks the others nor grows memory without bound.
 *
 * @module
 */
import { BacklogGuard } from "./backlog.ts";

export { MAX_QUEUE_BYTES } from "./backlog.ts";

/** Bytes the stream holds before it counts as a backlog. */
const HIGH_WATER_MARK = 64 * 1024;

/** How often an idle stream sends a comment, to find dead clients. */
const HEARTBEAT_MS = 15_000;

const encoder = new TextEncoder();

/**
 * Writes SSE messages to one client.
 *
 * @example
 * ```ts
 * import type { SseSink } from "./sse.ts";
 * const greet = (sink: SseSink) => sink.send({ hello: 1 }, 42);
 * ```
 */
export interface SseSink {
  /** Sends `data` as JSON, with `id` when given; false once the client is gone. */
  send(data: unknown, id?: number | string): boolean;
  /**
   * Resolves once the client's backlog is under the cap (`true`), or
   * `false` once it is gone: a catch-up sends its next piece only then.
   */
  room(): Promise<boolean>;
  /** Ends the stream. */
  close(): void;
}

/**
 * Options of {@linkcode sseResponse}.
 *
 * @example
 * ```ts
 * import type { SseOptions } from "./sse.ts";
 * const options: SseOptions = { maxQueueBytes: 256 * 1024 };
 * ```
 */
export interface SseOptions {
  /** Backlog cap in bytes past which the client must keep reading. */
  maxQueueBytes?: number;
  /** Called once when the stream ends (client gone, dropped, closed). */
  onClose?: () => void;
  /** Ends the stream when it aborts (server shutdown). */
  signal?: AbortSignal;
}

/**
 * A `text/event-stream` response. `start` gets the sink and returns what
 * stops its source; it runs before the response is made, so its failure
 * (no such session) is thrown here and becomes a JSON error instead.
 * Everything written counts against the cap, a catch-up included: a
 * source that can wait asks {@linkcode SseSink.room} before each piece.
 *
 * @example
 * ```ts
 * import { sseResponse } from "./sse.ts";
 * const response = await sseResponse((sink) => {
 *   const timer = setInterval(() => sink.send({ at: Date.now() }), 1000);
 *   return Promise.resolve(() => clearInterval(timer));
 * });
 * ```
 * @param start subscribes the sink; returns its unsubscribe
 * @param options backlog cap, close callback
 */
export async function sseResponse(
  start: (sink: SseSink) => Promise<() => Promise<void> | void>,
  options: SseOptions = {},
): Promise<Response> {
  let stop: (() => Promise<void> | void) | undefined;
  let ended = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    guard.close();
    clearInterval(heartbeat);
    const s = stop;
    stop = undefined;
    Promise.resolve(s?.()).catch(() => {});
    options.onClose?.();
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      end();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_MARK }));
  const guard = new BacklogGuard(
    () => HIGH_WATER_MARK - (controller.desiredSize ?? 0),
    () => {
      // Too slow: drop its queue and the client; it resumes from its last id.
      controller.error(new Error("slow client dropped"));
      end();
    },
    { maxBytes: options.maxQueueBytes },
  );
  const write = (text: string): boolean => {
    if (ended) return false;
    const bytes = encoder.encode(text);
    controller.enqueue(bytes);
    return guard.wrote(bytes.length);
  };
  const sink: SseSink = {
    send: (data, id) =>
      write(
        `${id === undefined ? "" : `id: ${id}\n`}data: ${
          JSON.stringify(data)
        }\n\n`,
      ),
    room: () => guard.room(),
    close: () => {
      if (ended) return;
      end();
      try {
        controller.close();
      } catch {
        // already closed or errored
      }
    },
  };
  write("retry: 1000\n\n");
  try {
    const unsubscribe = await start(sink);
    if (ended) await unsubscribe();
    else stop = unsubscribe;
  } catch (error) {
    end();
    throw error;
  }
  if (options.signal) {
    if (options.signal.aborted) sink.close();
    else {options.signal.addEventListener("abort", () => sink.close(), {
        once: true,
      });}
  }
  if (!ended) {
    heartbeat = setInterval(() => write(": ping\n\n"), HEARTBEAT_MS);
  }
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
    },
  });
}

/**
 * The offset a stream resumes from: `Last-Event-ID`, else `?from=`.
 *
 * @example
 * ```ts
 * import { resumeOffset } from "./sse.ts";
 * const request = new Request("http://x/s?from=10", { headers: { "last-event-id": "42" } });
 * resumeOffset(request); // 42
 * ```
 * @param request the request
 * @returns the offset, or `undefined` for new entries only
 * @throws {RangeError} for a value that is not a whole number
 */
export function resumeOffset(request: Request): number | undefined {
  const raw = request.headers.get("last-event-id") ??
    new URL(request.url).searchParams.get("from");
  if (raw === null || raw === "") return undefined;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new RangeError(
      `a stream offset must be a whole number, got "${raw}"`,
    );
  }
  return Number(raw);
}
