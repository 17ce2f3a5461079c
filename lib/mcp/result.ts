/**
 * What an MCP tool answers: text a model reads plus the same facts as
 * structured content, and aimax's errors as MCP tool errors (`isError`)
 * that carry the error's code, message and hint (an `awaiting_input` one
 * shows the dialog).
 *
 * @module
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { AimaxError, AwaitingInputError, ERRORS } from "../errors.ts";

/**
 * A tool's answer: `text` for the model, `structured` as structured
 * content, with the text as its `summary` too (some clients hand a model
 * the structured content instead of the text when there is one, so what
 * the text says, a dialog's advice included, must be in it as well).
 *
 * @example
 * ```ts
 * import { toolResult } from "./result.ts";
 * toolResult("sent to w1", { sessionId: "w1", queued: false });
 * // structuredContent: { sessionId: "w1", queued: false, summary: "sent to w1" }
 * ```
 * @param text what the model reads
 * @param structured the same as data
 */
export function toolResult(
  text: string,
  structured: Record<string, unknown>,
): CallToolResult {
  return {
    content: [{ type: "text", text }],
    structuredContent: { ...structured, summary: text },
  };
}

/**
 * An MCP tool error for `error`: `isError`, the text `error CODE: message`
 * and a hint line, and `{error: {code, message, hint, dialog?}}` as
 * structured content. An error aimax did not raise on purpose has the code
 * `error`.
 *
 * @example
 * ```ts
 * import { SessionNotFoundError } from "../errors.ts";
 * import { toolError } from "./result.ts";
 * toolError(new SessionNotFoundError(undefined, "w1")).isError; // true
 * ```
 * @param error what was thrown
 */
export function toolError(error: unknown): CallToolResult {
  const code = error instanceof AimaxError ? error.code : "error";
  const message = error instanceof Error ? error.message : String(error);
  const hint = ERRORS[code]?.hint;
  const dialog = error instanceof AwaitingInputError ? error.dialog : undefined;
  const text = [
    `error ${code}: ${message}`,
    ...(hint ? [`hint: ${hint}`] : []),
  ].join("\n");
  return {
    content: [{ type: "text", text }],
    structuredContent: {
      error: {
        code,
        message,
        ...(hint ? { hint } : {}),
        ...(dialog !== undefined ? { dialog } : {}),
      },
    },
    isError: true,
  };
}
