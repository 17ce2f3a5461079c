import assert from "node:assert/strict";
import { InputError } from "../lib/errors.ts";
import { profileOf, PROFILES } from "../lib/agents/mod.ts";
import { get, resetBackends, SUPPORTED_BACKENDS } from "../lib/registry.ts";

Deno.test("registry: get returns one backend per name; unknown names are refused", () => {
  resetBackends();
  assert.deepEqual([...SUPPORTED_BACKENDS], [
    "tmux-claude-code",
    "tmux-codex",
    "tmux-copilot",
    "tmux-gemini",
  ]);
  assert.equal(get("tmux-codex"), get("tmux-codex"));
  assert.equal(get("tmux-claude-code").name, "tmux-claude-code");
  assert.throws(() => get("gemini"), InputError);
  resetBackends();
});

Deno.test("registry: Object.prototype keys (toString, hasOwnProperty, constructor, __proto__) are unknown backends, and nothing broken is cached", () => {
  resetBackends();
  for (
    const name of [
      "toString",
      "hasOwnProperty",
      "constructor",
      "__proto__",
      "valueOf",
      "isPrototypeOf",
    ]
  ) {
    assert.throws(() => get(name), InputError, name);
    assert.throws(() => profileOf(name), InputError, name);
    // Asked again: still refused (no backend was built and kept).
    assert.throws(() => get(name), /unknown backend/, name);
    assert.equal(PROFILES[name], undefined, name);
  }
  assert.equal(profileOf("tmux-codex").name, "tmux-codex");
  resetBackends();
});
