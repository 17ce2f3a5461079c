/**
 * The end-to-end suite against the real Claude Code TUI, plus what is
 * Claude's own: folder trust recorded in ~/.claude.json, and the screen
 * fallback that accepts the trust dialog.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { defineE2eSuite, waitReply } from "./support/e2e_suite.ts";
import { json, worldTest } from "./support/world.ts";

defineE2eSuite("claude");

worldTest(
  "claude",
  "claude e2e: trust is recorded in ~/.claude.json without losing other keys",
  async (world) => {
    const configPath = join(world.home, ".claude.json");
    const before = JSON.parse(await Deno.readTextFile(configPath));
    assert.equal(before.projects[world.cwd], undefined, "not trusted yet");
    json(
      await world.cli([
        "create",
        "-b",
        world.backend,
        "-s",
        "t1",
        "--cwd",
        world.cwd,
        "-p",
        "hi",
        "--json",
      ]),
    );
    await waitReply(world, "t1", "ack: hi");
    const after = JSON.parse(await Deno.readTextFile(configPath));
    assert.equal(after.projects[world.cwd].hasTrustDialogAccepted, true);
    assert.equal(after.hasCompletedOnboarding, true);
    assert.deepEqual(
      after.customApiKeyResponses,
      before.customApiKeyResponses,
    );
  },
);

worldTest(
  "claude",
  "claude e2e: the trust dialog is recognised on screen and accepted",
  async (world) => {
    // Point aimax at a Claude config file that does not exist, so it cannot
    // record trust: Claude shows its dialog and the screen fallback answers.
    json(
      await world.cli([
        "create",
        "-b",
        world.backend,
        "-s",
        "t2",
        "--cwd",
        world.cwd,
        "-p",
        "through the dialog",
        "--json",
      ]),
    );
    await waitReply(world, "t2", "ack: through the dialog");
    const config = JSON.parse(
      await Deno.readTextFile(join(world.home, ".claude.json")),
    );
    assert.equal(
      config.projects[world.cwd]?.hasTrustDialogAccepted,
      true,
      "Claude recorded the accepted dialog itself",
    );
  },
  { env: { AIMAX_CLAUDE_CONFIG: "/nonexistent/aimax/.claude.json" } },
);

worldTest(
  "claude",
  "claude e2e: a cwd with dots, spaces, underscores and non-ASCII maps to Claude's transcript",
  async (world) => {
    const created = json(
      await world.cli([
        "create",
        "-b",
        world.backend,
        "-s",
        "u1",
        "--cwd",
        world.cwd,
        "-p",
        "unicode cwd",
        "--json",
      ]),
    );
    const expectedDir = world.cwd.replace(/[^a-zA-Z0-9]/g, "-");
    assert.equal(
      created.jsonlPath,
      join(
        world.home,
        ".claude",
        "projects",
        expectedDir,
        `${created.agentSessionId}.jsonl`,
      ),
    );
    await waitReply(world, "u1", "ack: unicode cwd");
    const entries = [];
    for await (
      const e of Deno.readDir(join(world.home, ".claude", "projects"))
    ) entries.push(e.name);
    assert.deepEqual(
      entries,
      [expectedDir],
      "Claude wrote exactly where aimax looks",
    );
  },
  { cwdName: "wörk dir.v1 x_y-日本" },
);
