/**
 * `aimax doctor` against the real TUIs (each started once, no prompt), and
 * the once-per-version warning of `create`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { warnVersion } from "../lib/backend/lifecycle.ts";
import { DEFAULT_TIMINGS } from "../lib/backend/mod.ts";
import { StateStore } from "../lib/state.ts";
import { configFromEnv } from "../lib/config.ts";
import { PROFILES } from "../lib/registry.ts";
import { ROOT, worldTest } from "./support/world.ts";

for (const agent of ["claude", "codex"] as const) {
  worldTest(
    agent,
    `${agent} doctor: tmux, data dir, permissions, and the agent's screen, version and signals check out`,
    async (world) => {
      const run = await world.cli(["doctor", "-b", world.backend, "--json"]);
      const checks = JSON.parse(run.stdout);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const byName = Object.fromEntries(
        checks.map((c: { name: string; status: string }) => [c.name, c.status]),
      );
      const label = PROFILES[world.backend].label;
      assert.equal(byName.tmux, "ok");
      assert.equal(byName["data dir"], "ok");
      assert.equal(byName.permissions, "ok", "the scoped set is enough");
      assert.equal(byName[`${label}: ready screen`], "ok");
      assert.equal(byName[`${label}: version`], "ok");
      assert.equal(
        byName[agent === "claude" ? `${label}: hooks` : `${label}: signals`],
        "ok",
      );
      assert.equal(
        world.stub.requests.filter((r) => r.method === "POST").length,
        0,
        "no model call",
      );
      const text = await world.cli(["doctor", "-b", world.backend, "--quick"]);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /^ok {2}\s*tmux: tmux \d/m);
      // The scratch window is gone.
      const panes = await world.tmux([
        "list-panes",
        "-a",
        "-F",
        "#{window_name}",
      ]);
      assert.ok(!panes.stdout.includes("doctor-"), panes.stdout);
    },
  );
}

Deno.test("create: an agent version other than the tested one is warned about once", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const screen = await Deno.readTextFile(
      join(ROOT, "tests/fixtures/screens/claude/ready_fresh.txt"),
    );
    const config = configFromEnv((name) => ({ AIMAX_DATA_DIR: dataDir })[name]);
    const ctx = (testedVersion: string) => ({
      name: "tmux-claude-code",
      profile: { ...PROFILES["tmux-claude-code"], testedVersion },
      config,
      store: new StateStore(dataDir),
      timings: DEFAULT_TIMINGS,
    });
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    await warnVersion(ctx("2.1.197"), { screen, warn });
    assert.deepEqual(warnings, [], "the tested version: no warning");
    await warnVersion(ctx("0.0.1"), { screen, warn });
    await warnVersion(ctx("0.0.1"), { screen, warn });
    assert.equal(warnings.length, 1, "once per version");
    assert.match(warnings[0], /Claude Code 2\.1\.197 differs from 0\.0\.1/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
