/** Ownership: what an MCP server created, per backend, and the refusal. */
import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import { Ownership } from "../../lib/mcp/ownership.ts";

Deno.test("ownership: only sessions it created, per backend, unless all sessions", () => {
  const owned = new Ownership({ allSessions: false });
  owned.add("tmux-codex", "w1");
  assert.equal(owned.created("tmux-codex", "w1"), true);
  assert.equal(owned.created("tmux-claude-code", "w1"), false);
  owned.check("tmux-codex", "w1", "send_keys");
  assert.throws(
    () => owned.check("tmux-claude-code", "w1", "stop_session"),
    (e) => e instanceof UsageError && /stop_session refused/.test(e.message),
  );
  new Ownership({ allSessions: true }).check("tmux-codex", "x", "send_keys");
});
