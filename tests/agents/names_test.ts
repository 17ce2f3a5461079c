import assert from "node:assert/strict";
import { BACKEND_NAMES } from "../../lib/agents/names.ts";
import { AGENT_PROFILES } from "../../lib/agents/mod.ts";
import { SUPPORTED_BACKENDS } from "../../lib/registry.ts";

Deno.test("agent names: the list without the profiles names every profile, in the registry's order", () => {
  assert.deepEqual([...BACKEND_NAMES], AGENT_PROFILES.map((p) => p.name));
  assert.deepEqual([...BACKEND_NAMES], [...SUPPORTED_BACKENDS]);
});
