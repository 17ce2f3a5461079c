/**
 * The small helpers every command shares: required options, whole-number
 * offsets, and the agent's short name in tables.
 */
import assert from "node:assert/strict";
import { AGENT_PROFILES } from "../../lib/agents/mod.ts";
import { agentName, need, offsetOption } from "../../lib/cli/shared.ts";
import { UsageError } from "../../lib/errors.ts";

Deno.test("cli need: one non-empty value, else a usage error naming the option", () => {
  assert.equal(need({ session: ["a"] }, "session"), "a");
  assert.equal(need({ session: "b" }, "session"), "b");
  assert.throws(() => need({ session: [] }, "session"), UsageError);
  assert.throws(() => need({ session: "" }, "session"), /--session/);
  assert.throws(
    () => need({ session: ["a", "b"] }, "session"),
    /give one --session/,
  );
});

Deno.test("cli offsetOption: digits only", () => {
  assert.equal(offsetOption({}, "from"), undefined);
  assert.equal(offsetOption({ from: "12" }, "from"), 12);
  for (const bad of ["-1", "1.5", "1e3", " 3", "x"]) {
    assert.throws(() => offsetOption({ from: bad }, "from"), UsageError);
  }
});

Deno.test("cli agentName: each agent's short name; an unknown backend as it is", () => {
  for (const profile of AGENT_PROFILES) {
    assert.equal(agentName(profile.name), profile.shortName);
  }
  assert.equal(agentName("tmux-nobody"), "tmux-nobody");
  assert.equal(agentName("toString"), "toString");
});
