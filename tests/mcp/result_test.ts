/** Tool results and tool errors: text, structured content, aimax's code. */
import assert from "node:assert/strict";
import { AwaitingInputError, SessionNotFoundError } from "../../lib/errors.ts";
import { toolError, toolResult } from "../../lib/mcp/result.ts";

Deno.test("result: text and the same facts as structured content", () => {
  assert.deepEqual(toolResult("hi", { a: 1 }), {
    content: [{ type: "text", text: "hi" }],
    structuredContent: { a: 1, summary: "hi" },
  });
});

Deno.test("result: an aimax error carries its code, message and hint; a dialog is shown; anything else is `error`", () => {
  const missing = toolError(new SessionNotFoundError(undefined, "w1"));
  assert.equal(missing.isError, true);
  const error = (missing.structuredContent as {
    error: { code: string; hint: string };
  }).error;
  assert.equal(error.code, "session_not_found");
  assert.match(error.hint, /aimax list/);
  const asking = toolError(
    new AwaitingInputError("waits", "Allow? 1. Yes", "screen"),
  );
  assert.match(
    (asking.content as { text: string }[])[0].text,
    /^error awaiting_input: waits\n--- dialog ---\nAllow\? 1\. Yes/,
  );
  assert.equal(
    (asking.structuredContent as { error: { dialog: string } }).error.dialog,
    "Allow? 1. Yes",
  );
  const other = toolError(new Error("boom"));
  assert.equal(
    (other.structuredContent as { error: { code: string } }).error.code,
    "error",
  );
});
