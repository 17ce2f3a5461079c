import assert from "node:assert/strict";
import { InputError } from "../lib/errors.ts";
import { get, resetBackends, SUPPORTED_BACKENDS } from "../lib/registry.ts";

Deno.test("registry: get returns one backend per name; unknown names are refused", () => {
  resetBackends();
  assert.deepEqual([...SUPPORTED_BACKENDS], ["tmux-claude-code", "tmux-codex"]);
  assert.equal(get("tmux-codex"), get("tmux-codex"));
  assert.equal(get("tmux-claude-code").name, "tmux-claude-code");
  assert.throws(() => get("gemini"), InputError);
  resetBackends();
});
