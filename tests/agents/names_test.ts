import assert from "node:assert/strict";
import {
  AGENT_LABELS,
  AGENT_SHORT_NAMES,
  BACKEND_NAMES,
  listed,
} from "../../lib/agents/names.ts";
import { AGENT_PROFILES } from "../../lib/agents/mod.ts";
import { SUPPORTED_BACKENDS } from "../../lib/registry.ts";

Deno.test("agent names: the list without the profiles names every profile, in the registry's order", () => {
  assert.deepEqual([...BACKEND_NAMES], AGENT_PROFILES.map((p) => p.name));
  assert.deepEqual([...BACKEND_NAMES], [...SUPPORTED_BACKENDS]);
  assert.deepEqual([...AGENT_LABELS], AGENT_PROFILES.map((p) => p.label));
  assert.deepEqual(
    [...AGENT_SHORT_NAMES],
    AGENT_PROFILES.map((p) => p.shortName),
  );
});

Deno.test("agent names: listed for a sentence", () => {
  assert.equal(listed([]), "");
  assert.equal(listed(["a"]), "a");
  assert.equal(listed(["a", "b"]), "a and b");
  assert.equal(listed(["a", "b", "c"]), "a, b and c");
});
