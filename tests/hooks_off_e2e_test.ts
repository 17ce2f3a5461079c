/**
 * `"disableAllHooks": true` in the user's Claude Code settings, on the real
 * TUI: `doctor` names that file as the cause (a warning of its own, not
 * "SessionStart did not fire … check sh"), and `create` warns once on
 * stderr and still succeeds.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PROFILES } from "../lib/agents/mod.ts";
import { type World, worldTest } from "./support/world.ts";

interface Check {
  name: string;
  status: string;
  detail: string;
  fix?: string;
}

/** Sets `disableAllHooks` in the world's `~/.claude/settings.json`. */
async function disableAllHooks(world: World): Promise<string> {
  const settings = join(world.home, ".claude", "settings.json");
  const user = JSON.parse(await Deno.readTextFile(settings));
  await Deno.writeTextFile(
    settings,
    JSON.stringify({ ...user, disableAllHooks: true }, null, 2),
  );
  return settings;
}

worldTest(
  "claude",
  "claude doctor: without a block there is no hook-settings line",
  async (world) => {
    const run = await world.cli([
      "doctor",
      "-b",
      world.backend,
      "--quick",
      "--json",
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const checks: Check[] = JSON.parse(run.stdout);
    assert.ok(!checks.some((c) => c.name.endsWith(": hook settings")));
  },
);

worldTest(
  "claude",
  "claude doctor: disableAllHooks in ~/.claude/settings.json is named as the cause, with what still works and the fix",
  async (world) => {
    const settings = await disableAllHooks(world);
    const label = PROFILES[world.backend].label;
    const run = await world.cli(["doctor", "-b", world.backend, "--json"]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const checks: Check[] = JSON.parse(run.stdout);
    const byName = new Map(checks.map((c) => [c.name, c]));
    const line = byName.get(`${label}: hook settings`);
    assert.equal(line?.status, "warn", run.stdout);
    assert.ok(line.detail.includes(settings), line.detail);
    assert.match(line.detail, /"disableAllHooks": true/);
    assert.match(line.detail, /hooks will not fire/);
    assert.match(line.detail, /read from the transcript/);
    assert.match(line.fix ?? "", /remove "disableAllHooks" from/);
    const hooks = byName.get(`${label}: hooks`);
    assert.equal(hooks?.status, "warn", run.stdout);
    assert.match(
      hooks.detail,
      /SessionStart did not fire: .*turn every hook off/,
    );
    assert.doesNotMatch(hooks.fix ?? "", /check that sh/);

    const quick = await world.cli(["doctor", "-b", world.backend, "--quick"]);
    assert.equal(quick.code, 0, quick.stdout + quick.stderr);
    assert.ok(
      quick.stdout.split("\n").some((l) =>
        l.includes(`${label}: hook settings:`) && l.includes(settings)
      ),
      quick.stdout,
    );
  },
);

worldTest(
  "claude",
  "claude create: disableAllHooks in ~/.claude/settings.json is one warning on stderr, and create succeeds",
  async (world) => {
    const settings = await disableAllHooks(world);
    const made = await world.cli([
      "create",
      "-b",
      world.backend,
      "-s",
      "off1",
      "--cwd",
      world.cwd,
      "-p",
      "hello",
    ]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /^created off1 /);
    const warnings = made.stderr.split("\n").filter((l) =>
      l.includes("hooks are turned off")
    );
    assert.equal(warnings.length, 1, made.stderr);
    assert.ok(warnings[0].startsWith("aimax: warning: "), warnings[0]);
    assert.ok(warnings[0].includes(settings), warnings[0]);
    const json = await world.cli([
      "create",
      "-b",
      world.backend,
      "-s",
      "off2",
      "--cwd",
      world.cwd,
      "-p",
      "hello",
      "--json",
    ]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).sessionId, "off2");
  },
);
