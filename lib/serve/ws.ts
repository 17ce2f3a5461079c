/**
 * One session's transcript over a WebSocket: the same messages as the SSE
 * stream (each entry `{offset, end, value}`, or events with `end`), from
 * `?from=`. A client that stops reading is closed with code 4008 once its
 * unsent backlog passes the cap ({@linkcode BacklogGuard}); it reconnects
 * with `?from=` its last `end`.
 *
 * @module
 */
import type { TmuxAgentBackend } from "../backend/backend.ts";
import { type FeedOptions, followTranscript } from "./feed.ts";
import { BacklogGuard } from "./backlog.ts";

const encoder = new TextEncoder();

/** The close code of a client dropped for reading too slowly. */
export const SLOW_CLIENT_CLOSE = 4008;

/**
 * Upgrades `request` and follows session `sessionId` over the socket.
 *
 * @example
 * ```ts ignore
 * import { get } from "../registry.ts";
 * import { websocketFeed } from "./ws.ts";
 * Deno.serve((request) =>
 *   websocketFeed(request, get("tmux-claude-code"), { sessionId: "demo-1", from: 0 })
 * );
 * ```
 * @param request an upgrade request
 * @param backend the session's backend
 * @param options session, offset, events, backlog cap
 */
export function websocketFeed(
  request: Request,
  backend: TmuxAgentBackend,
  options: FeedOptions & {
    sessionId: string;
    maxQueueBytes?: number;
    signal?: AbortSignal;
  },
): Response {
  const { socket, response } = Deno.upgradeWebSocket(request);
  let stop: (() => Promise<void>) | undefined;
  let closed = false;
  let starting = true;
  const guard = new BacklogGuard(() => socket.bufferedAmount, () => {
    socket.close(
      SLOW_CLIENT_CLOSE,
      "slow client: reconnect with ?from= the last end",
    );
    end();
  }, { maxBytes: options.maxQueueBytes });
  const end = () => {
    closed = true;
    guard.close();
    const s = stop;
    stop = undefined;
    s?.().catch(() => {});
  };
  socket.onopen = () => {
    followTranscript(backend, options.sessionId, {
      from: options.from,
      events: options.events,
      onMessage: (message) => {
        if (closed || socket.readyState !== WebSocket.OPEN) return;
        const text = JSON.stringify(message.data);
        socket.send(text);
        // A catch-up sent while starting is not held against the client.
        if (!starting) guard.wrote(encoder.encode(text).length);
      },
    }).then((unsubscribe) => {
      starting = false;
      guard.forgive();
      if (closed) unsubscribe().catch(() => {});
      else stop = unsubscribe;
    }, (error) => {
      const message = (error instanceof Error ? error.message : String(error))
        .split("\n")[0];
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(
          JSON.stringify({ error: { code: "stream_failed", message } }),
        );
        socket.close(1011, "stream failed");
      }
      end();
    });
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
