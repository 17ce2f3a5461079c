/** How a turn's outcome reads to a model (the waits themselves: tools_test.ts). */
import assert from "node:assert/strict";
import { turnText } from "../../lib/mcp/wait.ts";

Deno.test("wait: each outcome as text a model can act on", () => {
  const turn = { state: "idle" as const, durationMs: 1500 };
  assert.equal(
    turnText("w1", { ...turn, outcome: "completed", text: "42" }),
    "42",
  );
  assert.match(
    turnText("w1", { ...turn, outcome: "completed", text: "", empty: true }),
    /ended without text/,
  );
  assert.match(
    turnText("w1", {
      ...turn,
      state: "awaiting_input",
      outcome: "awaiting_input",
      text: "Allow?",
    }),
    /waits on a person[^]*never answers one by itself[^]*Allow\?/,
  );
  assert.match(
    turnText("w1", {
      ...turn,
      state: "working",
      outcome: "timeout",
      text: "",
    }),
    /still working after 1\.5 s; call wait again/,
  );
  assert.match(
    turnText("w1", { ...turn, outcome: "interrupted", text: "half" }),
    /interrupted[^]*half/,
  );
  assert.match(
    turnText("w1", { ...turn, outcome: "unknown", text: "", reason: "why" }),
    /cannot tell[^]*why/,
  );
  assert.match(
    turnText("w1", { ...turn, state: "exited", outcome: "exited", text: "" }),
    /exited/,
  );
});
