/**
 * How `history` and `stream` print a transcript: as a conversation, with
 * `--all`, `--offsets` and `--wide`, and a record nothing else prints as
 * one summary line.
 *
 * @module
 */
import type { SessionBackend } from "../backend/contract.ts";
import { summarizeRecord } from "../format.ts";
import type { JsonlEntry } from "../jsonl/lines.ts";
import { ConversationRenderer } from "../render/conversation.ts";
import type { CliIo } from "./command.ts";
import { textView } from "./shared.ts";

/**
 * A renderer of `backend`'s transcript as a conversation for `io`, with
 * `--all`, `--offsets` and `--wide`.
 *
 * @example
 * ```ts ignore
 * import { conversationFor } from "./conversation.ts";
 * const renderer = conversationFor(io, { backend, values: { all: true } });
 * for (const entry of history.entries) renderer.lines(entry).forEach(io.out);
 * ```
 * @param io where the lines go (width, colour)
 * @param options the backend (its profile reads the records) and the parsed options
 */
export function conversationFor(
  io: CliIo,
  options: {
    readonly backend: SessionBackend;
    readonly values: {
      readonly all?: boolean;
      readonly offsets?: boolean;
      readonly wide?: boolean;
    };
  },
): ConversationRenderer {
  const { backend, values } = options;
  return new ConversationRenderer(
    (record) => backend.profile.transcriptEvents(record),
    {
      ...textView(io, values),
      all: values.all,
      offsets: values.offsets,
      fallback: entryLine,
      links: backend.profile.recordLinks,
    },
  );
}

/**
 * One transcript entry as a text line (`history`, `stream`).
 *
 * @example
 * ```ts
 * import { entryLine } from "./conversation.ts";
 * entryLine({ offset: 0, end: 9, value: undefined, error: "bad" });
 * // "[0] (malformed line: bad)"
 * ```
 * @param entry the entry
 */
export function entryLine(entry: JsonlEntry): string {
  return entry.error
    ? `[${entry.offset}] (malformed line: ${entry.error})`
    : `[${entry.offset}] ${summarizeRecord(entry.value)}`;
}
