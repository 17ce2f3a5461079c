/**
 * `doctor` without `-b` skips an agent that is not installed (with the
 * way to install it) and fails only when no agent is; one named by `-b`
 * that is missing fails. Agents are looked for, not started.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { AGENT_PROFILES } from "../lib/agents/mod.ts";
import { configFromEnv } from "../lib/config.ts";
import { runDoctor } from "../lib/doctor.ts";
import { withTempDir } from "./support/temp_dir.ts";

/** A config whose agents' programs are `bins` (by backend), else missing. */
function configWith(dir: string, bins: Record<string, string> = {}) {
  const env: Record<string, string> = {
    HOME: dir,
    AIMAX_DATA_DIR: join(dir, "data"),
    AIMAX_TMUX_SOCKET: join(dir, "tmux.sock"),
  };
  for (const profile of AGENT_PROFILES) {
    env[profile.binEnvVar] = bins[profile.name] ??
      join(dir, "missing", profile.shortName);
  }
  return configFromEnv((name) => env[name]);
}

function agentChecks(checks: { name: string; status: string }[]) {
  const labels = new Set(AGENT_PROFILES.map((p) => p.label));
  return Object.fromEntries(
    checks.filter((c) => labels.has(c.name)).map((c) => [c.name, c.status]),
  );
}

Deno.test("doctor: agents not installed are skipped with their install hint; none installed fails", async () => {
  await withTempDir("aimax-doctor-", async (dir) => {
    const checks = await runDoctor(configWith(dir), { startAgents: false });
    for (const profile of AGENT_PROFILES) {
      const check = checks.find((c) => c.name === profile.label)!;
      assert.equal(check.status, "skip", profile.label);
      assert.ok(check.fix?.includes(profile.installHint), check.fix);
    }
    const none = checks.find((c) => c.name === "agents");
    assert.equal(none?.status, "fail");
    assert.match(none!.detail, /no agent is installed/);
  });
});

Deno.test("doctor: one agent installed, the others skipped, no agent failure; a missing agent named by -b fails", async () => {
  await withTempDir("aimax-doctor-", async (dir) => {
    const [first, second] = AGENT_PROFILES;
    const checks = await runDoctor(
      configWith(dir, { [first.name]: "/bin/sh" }),
      { startAgents: false },
    );
    const statuses = agentChecks(checks);
    assert.equal(statuses[first.label], "ok");
    for (const profile of AGENT_PROFILES.slice(1)) {
      assert.equal(statuses[profile.label], "skip", profile.label);
    }
    assert.ok(!checks.some((c) => c.name === "agents"));

    const named = await runDoctor(configWith(dir), {
      backends: [second.name],
      startAgents: false,
    });
    assert.equal(agentChecks(named)[second.label], "fail");
    assert.ok(!named.some((c) => c.name === "agents" && c.status === "skip"));
  });
});
