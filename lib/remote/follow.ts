/**
 * A Server-Sent Events stream of a remote `aimax serve`, kept open: a
 * dropped connection is opened again (from the last id when asked).
 *
 * @module
 */
import { AimaxError } from "../errors.ts";
import type { Unsubscribe } from "../jsonl/watcher.ts";
import { type CallOptions, request } from "./http.ts";
import type { RemoteServer } from "./server.ts";
import { readSse, type SseMessage } from "./sse.ts";

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
 *
 * @param server the server
 * @param path the API path of the stream
 * @param options its query, whether to resume, and the listener
 * @returns stops following
 */
export async function follow(
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
