/**
 * `aimax doctor` against the real TUIs (each started once, no prompt), and
 * the once-per-version warning of `create`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { TestedRange } from "../lib/agents/tested_range.ts";
import { warnVersion } from "../lib/backend/lifecycle.ts";
import { runDoctor, versionCheck } from "../lib/doctor.ts";
import { InputError } from "../lib/errors.ts";
import { DEFAULT_TIMINGS } from "../lib/backend/mod.ts";
import { StateStore } from "../lib/state.ts";
import { configFromEnv } from "../lib/config.ts";
import { PROFILES } from "../lib/agents/mod.ts";
import { AGENTS, ROOT, worldTest } from "./support/world.ts";

for (const agent of AGENTS) {
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
      assert.equal(byName[`${label}: version`], "ok", run.stdout);
      assert.equal(
        byName[
          PROFILES[world.backend].doctorSignals.kind === "session_started"
            ? `${label}: hooks`
            : `${label}: signals`
        ],
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

/** Claude's profile with another tested range. */
const claudeTested = (oldest: string, newest: string) => ({
  ...PROFILES["tmux-claude-code"],
  testedRange: { oldest, newest } satisfies TestedRange,
});

Deno.test("create: an agent version outside the tested range is warned about once, never with advice to downgrade", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const screen = await Deno.readTextFile(
      join(ROOT, "tests/fixtures/screens/claude/2.1.197/ready_fresh.txt"),
    );
    const config = configFromEnv((name) => ({ AIMAX_DATA_DIR: dataDir })[name]);
    const ctx = (oldest: string, newest: string) => ({
      name: "tmux-claude-code",
      profile: claudeTested(oldest, newest),
      config,
      store: new StateStore(dataDir),
      timings: DEFAULT_TIMINGS,
    });
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    await warnVersion(ctx("2.1.197", "2.1.332"), { screen, warn });
    await warnVersion(ctx("2.1.100", "2.1.197"), { screen, warn });
    await warnVersion(ctx("2.1.2", "2.1.1000"), { screen, warn });
    assert.deepEqual(warnings, [], "within the range: no warning");
    await warnVersion(ctx("0.0.1", "2.1.19"), { screen, warn });
    await warnVersion(ctx("0.0.1", "2.1.19"), { screen, warn });
    assert.equal(warnings.length, 1, "once per version");
    assert.match(
      warnings[0],
      /^Claude Code 2\.1\.197 is newer than the newest tested \(2\.1\.19\) with this aimax: .*deno task compat/,
    );
    assert.doesNotMatch(warnings[0], /install 2\.1\.19|downgrade/);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
  const dataDir2 = await Deno.makeTempDir();
  try {
    const screen = await Deno.readTextFile(
      join(ROOT, "tests/fixtures/screens/claude/2.1.197/ready_fresh.txt"),
    );
    const warnings: string[] = [];
    await warnVersion({
      name: "tmux-claude-code",
      profile: claudeTested("2.1.300", "2.1.332"),
      config: configFromEnv((name) => ({ AIMAX_DATA_DIR: dataDir2 })[name]),
      store: new StateStore(dataDir2),
      timings: DEFAULT_TIMINGS,
    }, { screen, warn: (message) => warnings.push(message) });
    assert.equal(
      warnings[0],
      "Claude Code 2.1.197 is older than the oldest tested (2.1.300) with this aimax: screens and hooks may differ; upgrade to at least 2.1.300",
    );
  } finally {
    await Deno.remove(dataDir2, { recursive: true });
  }
});

Deno.test("doctor: the version check is ok within the tested range and says what to do outside it", () => {
  const profile = claudeTested("2.1.197", "2.1.332");
  const banner = (v: string) => `▐▛███▜▌   Claude Code v${v}\n`;
  assert.deepEqual(versionCheck(profile, banner("2.1.250")), {
    name: "Claude Code: version",
    status: "ok",
    detail: "2.1.250 (tested 2.1.197–2.1.332)",
  });
  const newer = versionCheck(profile, banner("2.1.400"));
  assert.equal(newer.status, "warn");
  assert.equal(newer.detail, "2.1.400: newer than the newest tested (2.1.332)");
  assert.match(newer.fix ?? "", /deno task compat/);
  assert.doesNotMatch(newer.fix ?? "", /install|2\.1\.332/);
  const older = versionCheck(profile, banner("2.1.150"));
  assert.equal(older.detail, "2.1.150: older than the oldest tested (2.1.197)");
  assert.match(older.fix ?? "", /upgrade to at least 2\.1\.197/);
  const unknown = versionCheck(profile, "no banner");
  assert.equal(unknown.status, "warn");
  assert.match(unknown.detail, /not shown/);
});

Deno.test("doctor: a backend name that is an Object.prototype key is an unknown backend, not a TypeError", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "aimax-doctor-proto-" });
  try {
    const config = {
      ...configFromEnv((name) => name === "HOME" ? dataDir : undefined),
      dataDir,
    };
    for (const name of ["toString", "hasOwnProperty", "constructor"]) {
      await assert.rejects(
        () => runDoctor(config, { backends: [name] }),
        (error: unknown) =>
          error instanceof InputError && /unknown backend/.test(error.message),
        name,
      );
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
