/**
 * Reading Server-Sent Events from a `fetch` response: `id:` and `data:`
 * lines, messages split by a blank line, comments (`: ping`) and `retry:`
 * skipped. A message that is not JSON, or one larger than the cap, is an
 * error that names the server's fault.
 *
 * @module
 */
import { AimaxError } from "../errors.ts";

/**
 * The largest SSE message read: 64 MiB, as a JSON answer.
 *
 * @example
 * ```ts
 * import { MAX_MESSAGE_BYTES } from "./sse.ts";
 * console.log(MAX_MESSAGE_BYTES / 2 ** 20); // 64
 * ```
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * One message of an SSE stream.
 *
 * @example
 * ```ts
 * import type { SseMessage } from "./sse.ts";
 * const message: SseMessage = { id: "120", data: { offset: 0, end: 120 } };
 * ```
 */
export interface SseMessage {
  /** `id:`, when the message has one. */
  id?: string;
  /** The parsed JSON of its `data:` lines. */
  data: unknown;
}

/**
 * Parses one message block (its lines), or `undefined` when it carries no
 * data (a comment, a `retry:`). Data that is not JSON: an
 * {@linkcode AimaxError} `bad_response`.
 *
 * @example
 * ```ts
 * import { parseSseBlock } from "./sse.ts";
 * parseSseBlock('id: 7\ndata: {"a":1}'); // { id: "7", data: { a: 1 } }
 * parseSseBlock(": ping"); // undefined
 * ```
 * @param block the lines of one message, without the blank line
 */
export function parseSseBlock(block: string): SseMessage | undefined {
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "id") id = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.join("\n"));
  } catch {
    throw new AimaxError(
      "bad_response",
      `the stream sent a message that is not JSON: ${
        JSON.stringify(data.join("\n").slice(0, 60))
      }`,
    );
  }
  return { ...(id === undefined ? {} : { id }), data: parsed };
}

/**
 * Reads `response`'s event stream to its end, handing each message to
 * `onMessage` in order; returns how many blocks it read (messages and
 * comments such as the server's pings: 0 for a stream that sent nothing).
 *
 * @example
 * ```ts
 * import { readSse } from "./sse.ts";
 * const response = new Response('id: 1\ndata: {"n":1}\n\n: ping\n\n');
 * await readSse(response, (m) => console.log(m.id, m.data)); // 1 { n: 1 }
 * ```
 * @param response a `text/event-stream` response
 * @param onMessage receives each message
 * @param options `onBlock`: called for every block, comments included;
 *   `pace`: a message begun must be whole within `graceMs` plus a second
 *   per `bytesPerS` bytes of it, else an {@linkcode AimaxError}
 *   `server_timeout` (a server that trickles a message a byte at a time)
 */
export async function readSse(
  response: Response,
  onMessage: (message: SseMessage) => void,
  options: {
    onBlock?: () => void;
    pace?: { graceMs: number; bytesPerS: number };
  } = {},
): Promise<number> {
  if (!response.body) return 0;
  let blocks = 0;
  let buffer = "";
  /** When the message now in `buffer` began. */
  let begun: number | undefined;
  for await (
    const chunk of response.body.pipeThrough(new TextDecoderStream())
  ) {
    buffer += chunk.replaceAll("\r\n", "\n");
    begun ??= Date.now();
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      begun = buffer.length > 0 ? Date.now() : undefined;
      const message = parseSseBlock(block);
      blocks++;
      options.onBlock?.();
      if (message) onMessage(message);
    }
    const took = begun === undefined ? 0 : Date.now() - begun;
    const pace = options.pace;
    if (pace && took > pace.graceMs + buffer.length / pace.bytesPerS * 1000) {
      throw new AimaxError(
        "server_timeout",
        `the stream trickled a message: ${buffer.length} bytes in ${
          Math.round(took / 100) / 10
        } s, not yet whole`,
      );
    }
    if (buffer.length > MAX_MESSAGE_BYTES) {
      throw new AimaxError(
        "response_too_large",
        `the stream sent a message larger than ${
          MAX_MESSAGE_BYTES / 2 ** 20
        } MiB`,
      );
    }
  }
  return blocks;
}
