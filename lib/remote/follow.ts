/**
 * A Server-Sent Events stream of a remote `aimax serve`, kept open: a
 * dropped connection is opened again (from the last id when asked), with a
 * growing pause between tries; a server that answers something that is not
 * an event stream, or nothing, or stops answering, fails it after a bounded
 * number of tries in a row, with one error.
 *
 * @module
 */
import { AimaxError, type ErrorCode } from "../errors.ts";
import type { Unsubscribe } from "../jsonl/watcher.ts";
import { sleep } from "../poll.ts";
import { type CallOptions, request, timeoutOf } from "./http.ts";
import {
  REMOTE_TIMINGS,
  type RemoteServer,
  type RemoteTimings,
} from "./server.ts";
import { readSse, type SseMessage } from "./sse.ts";

/** Errors after which a stream is tried again (others end it at once). */
const RETRIED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "server_unreachable",
  "server_timeout",
  "bad_response",
  "response_too_large",
]);

/**
 * The time limits and counts of {@linkcode follow} (see
 * {@linkcode REMOTE_TIMINGS}).
 *
 * @example
 * ```ts
 * import type { FollowTimings } from "./follow.ts";
 * const quick: Partial<FollowTimings> = { streamBackoffMs: 10 };
 * ```
 */
export type FollowTimings = Pick<
  RemoteTimings,
  | "streamIdleMinMs"
  | "streamTries"
  | "streamBackoffMs"
  | "streamBackoffMaxMs"
  | "answerFloorBytesPerS"
>;

/**
 * Options of {@linkcode follow}.
 *
 * @example
 * ```ts
 * import type { FollowOptions } from "./follow.ts";
 * const options: FollowOptions = {
 *   resume: true,
 *   onMessage: (data) => console.log(data),
 *   onError: (error) => console.error(error.message),
 * };
 * ```
 */
export interface FollowOptions {
  /** The query of the stream's URL. */
  query?: CallOptions["query"];
  /** Open a dropped stream again from the last message's id. */
  resume: boolean;
  /** Receives each message's parsed data. */
  onMessage: (data: unknown) => void;
  /**
   * Called once when the stream ends for good: an error answer (the
   * session is gone, the token changed), or too many failed tries in a row.
   */
  onError?: (error: AimaxError) => void;
  /** Called before each new try, with one line saying why and when. */
  onRetry?: (line: string) => void;
  /** Other limits (tests). */
  timings?: Partial<FollowTimings>;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0];
}

/**
 * Follows the SSE stream at `path` and hands each message's parsed data to
 * `onMessage`. The first connection's error is thrown (an error answer,
 * no answer, a body that is not an event stream). Later, a dropped
 * connection is opened again, from the last message's id when `resume`,
 * after a pause that doubles with each failed try; a try fails when it
 * ends without a message (a body that is not an event stream, a message
 * that is not JSON, an empty stream, a server that stops answering or
 * falls silent). After `streamTries` failed tries in a row, or at once on
 * an error answer, `onError` gets one error and the stream stops.
 *
 * @example
 * ```ts ignore
 * import { follow } from "./follow.ts";
 * const stop = await follow(server, "/api/events", {
 *   resume: false,
 *   onMessage: (data) => console.log(data),
 *   onError: (error) => console.error(error.message),
 * });
 * await stop();
 * ```
 * @param server the server
 * @param path the API path of the stream
 * @param options its query, whether to resume, the listeners and limits
 * @returns stops following
 */
export async function follow(
  server: RemoteServer,
  path: string,
  options: FollowOptions,
): Promise<Unsubscribe> {
  const timings = { ...REMOTE_TIMINGS, ...options.timings };
  const idleMs = Math.max(timeoutOf(server), timings.streamIdleMinMs);
  const abort = new AbortController();
  let lastId: string | undefined;
  let messages = 0;
  const connect = async () => {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    const query = { ...options.query };
    if (options.resume && lastId !== undefined) {
      headers["last-event-id"] = lastId;
      delete query.from;
    }
    const response = await request(server, path, {
      query,
      headers,
      signal: abort.signal,
      idleMs,
      maxBytes: Infinity,
      stream: true,
    });
    const type = response.headers.get("content-type") ?? "";
    if (!type.startsWith("text/event-stream")) {
      await response.body?.cancel().catch(() => {});
      throw new AimaxError(
        "bad_response",
        `the server at ${server.url} answered ${
          type ? JSON.stringify(type.split(";")[0]) : "without a content type"
        }, not an event stream (is ${server.url} an aimax server?)`,
      );
    }
    return response;
  };
  const onMessage = (message: SseMessage) => {
    options.onMessage(message.data);
    // Counted once taken: a message its listener refuses is a failure.
    if (message.id !== undefined) lastId = message.id;
    messages++;
  };
  let response: Response | undefined = await connect();
  const loop = (async () => {
    let failed = 0;
    while (!abort.signal.aborted) {
      const before = messages;
      const started = Date.now();
      let alive = false;
      let reason: unknown;
      try {
        response ??= await connect();
        const blocks = await readSse(response, onMessage, {
          onBlock: () => alive = true,
          pace: { graceMs: idleMs, bytesPerS: timings.answerFloorBytesPerS },
        });
        if (blocks === 0) {
          reason = new AimaxError(
            "bad_response",
            `the server at ${server.url} ended its event stream without sending anything`,
          );
        }
      } catch (error) {
        if (abort.signal.aborted) break;
        if (error instanceof AimaxError && !RETRIED.has(error.code)) {
          options.onError?.(error);
          break;
        }
        reason = error;
      }
      response = undefined;
      // A try that brought a message, or that the server kept open and
      // pinged for longer than a stream may be silent, was good, whatever
      // ended it.
      const silent = reason instanceof AimaxError &&
        reason.code === "server_timeout";
      if (
        messages > before ||
        (alive && !silent && Date.now() - started >= idleMs)
      ) {
        failed = 0;
      } else failed++;
      if (failed >= timings.streamTries) {
        options.onError?.(
          new AimaxError(
            "stream_failed",
            `the event stream of the server at ${server.url} failed ${failed} times in a row; the last time: ${
              describe(reason ?? "it ended without a message")
            }`,
          ),
        );
        break;
      }
      const pause = Math.min(
        timings.streamBackoffMs * 2 ** Math.max(0, failed - 1),
        timings.streamBackoffMaxMs,
      );
      if (failed > 0) {
        options.onRetry?.(
          `the event stream of ${server.url} broke (${
            describe(reason ?? "it ended without a message")
          }); trying again in ${pause / 1000} s (${
            failed + 1
          } of ${timings.streamTries})`,
        );
      }
      await sleep(pause, abort.signal).catch(() => {});
    }
  })();
  return async () => {
    abort.abort();
    await loop;
  };
}
