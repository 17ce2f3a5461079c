/**
 * One session's transcript over a WebSocket: the same messages as the SSE
 * stream (each entry `{offset, end, value}`, or events with `end`), from
 * `?from=`. Messages wait in an outbox of aimax's own and are handed to the
 * socket only while it holds less than {@linkcode SOCKET_WINDOW_BYTES}
 * unsent, so that a client that stops reading, once its backlog (outbox
 * and socket) passes the cap ({@linkcode BacklogGuard}), has the outbox
 * discarded and the close (code 4008) sent next, not behind the backlog;
 * it reconnects with `?from=` its last `end`.
 *
 * @module
 */
import type { FeedOptions, FeedSource } from "./feed.ts";
import { followTranscript } from "./feed.ts";
import { BacklogGuard } from "./backlog.ts";

const encoder = new TextEncoder();

/** The close code of a client dropped for reading too slowly. */
export const SLOW_CLIENT_CLOSE = 4008;

/** At most this much is handed to the socket and not yet sent: 64 KiB. */
export const SOCKET_WINDOW_BYTES = 64 * 1024;

/** How often a full socket is looked at again. */
const PUMP_MS = 10;

/**
 * Upgrades `request` and follows session `sessionId` over the socket.
 *
 * @example
 * ```ts ignore
 * import { get, SUPPORTED_BACKENDS } from "../registry.ts";
 * import { websocketFeed } from "./ws.ts";
 * Deno.serve((request) =>
 *   websocketFeed(request, get(SUPPORTED_BACKENDS[0]), { sessionId: "demo-1", from: 0 })
 * );
 * ```
 * @param request an upgrade request
 * @param backend the session's backend
 * @param options session, offset, events, backlog cap
 */
export function websocketFeed(
  request: Request,
  backend: FeedSource,
  options: FeedOptions & {
    sessionId: string;
    maxQueueBytes?: number;
    signal?: AbortSignal;
  },
): Response {
  const { socket, response } = Deno.upgradeWebSocket(request);
  let stop: (() => Promise<void>) | undefined;
  let closed = false;
  const outbox: { text: string; bytes: number }[] = [];
  let outboxBytes = 0;
  let pumping: ReturnType<typeof setTimeout> | undefined;
  const guard = new BacklogGuard(
    () => outboxBytes + socket.bufferedAmount,
    () => {
      // The backlog is what the close would wait behind: discard it.
      outbox.length = 0;
      outboxBytes = 0;
      if (socket.readyState === WebSocket.OPEN) {
        socket.close(
          SLOW_CLIENT_CLOSE,
          "slow client: reconnect with ?from= the last end",
        );
      }
      end();
    },
    { maxBytes: options.maxQueueBytes },
  );
  const pump = () => {
    pumping = undefined;
    if (closed || socket.readyState !== WebSocket.OPEN) return;
    while (outbox.length > 0 && socket.bufferedAmount < SOCKET_WINDOW_BYTES) {
      const next = outbox.shift()!;
      outboxBytes -= next.bytes;
      socket.send(next.text);
    }
    if (outbox.length > 0) {
      // Looked at again until the socket takes the rest (no event says so).
      pumping = setTimeout(pump, PUMP_MS);
    }
  };
  const end = () => {
    closed = true;
    guard.close();
    clearTimeout(pumping);
    pumping = undefined;
    outbox.length = 0;
    outboxBytes = 0;
    const s = stop;
    stop = undefined;
    s?.().catch(() => {});
  };
  const fail = (error: unknown) => {
    const message = (error instanceof Error ? error.message : String(error))
      .split("\n")[0];
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(
        JSON.stringify({ error: { code: "stream_failed", message } }),
      );
      socket.close(1011, "stream failed");
    }
    end();
  };
  socket.onopen = () => {
    followTranscript(backend, options.sessionId, {
      from: options.from,
      events: options.events,
      room: () => guard.room(),
      onError: fail,
      onMessage: (message) => {
        if (closed || socket.readyState !== WebSocket.OPEN) return;
        const text = JSON.stringify(message.data);
        const bytes = encoder.encode(text).length;
        outbox.push({ text, bytes });
        outboxBytes += bytes;
        if (!pumping) pump();
        guard.wrote(bytes);
      },
    }).then((unsubscribe) => {
      if (closed) unsubscribe().catch(() => {});
      else stop = unsubscribe;
    }, fail);
  };
  options.signal?.addEventListener("abort", () => {
    end();
    if (socket.readyState <= WebSocket.OPEN) {
      socket.close(1001, "server closing");
    }
  }, { once: true });
  socket.onclose = end;
  socket.onerror = end;
  return response;
}
