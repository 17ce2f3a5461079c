/**
 * Reading Server-Sent Events from a `fetch` response: `id:` and `data:`
 * lines, messages split by a blank line, comments (`: ping`) and `retry:`
 * skipped.
 *
 * @module
 */

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
 * data (a comment, a `retry:`).
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
  return {
    ...(id === undefined ? {} : { id }),
    data: JSON.parse(data.join("\n")),
  };
}

/**
 * Reads `response`'s event stream to its end, handing each message to
 * `onMessage` in order.
 *
 * @example
 * ```ts
 * import { readSse } from "./sse.ts";
 * const response = new Response('id: 1\ndata: {"n":1}\n\n: ping\n\n');
 * await readSse(response, (m) => console.log(m.id, m.data)); // 1 { n: 1 }
 * ```
 * @param response a `text/event-stream` response
 * @param onMessage receives each message
 */
export async function readSse(
  response: Response,
  onMessage: (message: SseMessage) => void,
): Promise<void> {
  if (!response.body) return;
  let buffer = "";
  for await (
    const chunk of response.body.pipeThrough(new TextDecoderStream())
  ) {
    buffer += chunk.replaceAll("\r\n", "\n");
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const message = parseSseBlock(block);
      if (message) onMessage(message);
    }
  }
}
