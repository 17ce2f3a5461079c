/**
 * The commands' options as data (`lib/cli/options.ts`): each set is a
 * command's in the table, and an option means the same in every set.
 */
import assert from "node:assert/strict";
import type { CommandOptions } from "../../lib/cli/command.ts";
import { allOptions, COMMANDS } from "../../lib/cli/mod.ts";
import * as options from "../../lib/cli/options.ts";

/** The exported whole sets (`CREATE_OPTIONS`, …), by name. */
const SETS = Object.entries(options).filter(([name]) =>
  name.endsWith("_OPTIONS") && name !== "PROMPT_OPTIONS" &&
  name !== "CONVERSATION_OPTIONS"
) as [string, CommandOptions][];

Deno.test("options: each command's set is the options of a command in the table", () => {
  assert.ok(SETS.length > 0);
  for (const [name, set] of SETS) {
    assert.ok(COMMANDS.some((c) => c.options === set), name);
  }
});

Deno.test("options: an option means the same in every set (-b, -s, -v everywhere alike)", () => {
  const all = allOptions(
    SETS.map(([name, set]) => ({
      name,
      summary: name,
      help: name,
      options: set,
      run: () => Promise.resolve(0),
    })),
  );
  assert.deepEqual(all.backend, { type: "string", short: "b" });
  assert.deepEqual(all.session, { type: "string", short: "s", multiple: true });
  assert.deepEqual(all.verbose, { type: "boolean", short: "v" });
});
