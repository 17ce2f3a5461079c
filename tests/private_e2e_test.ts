/**
 * Prompts and answers are the user's alone, on both real TUIs through the
 * CLI: after a create and a turn (with an idempotency key) the data dir is
 * 0700 and every file in it 0600 (the hook script 0700): the events file
 * with each prompt and last message, the per-run settings, the state
 * files, the idempotency ledger. A data dir an older release left open
 * (0755, files 0644) is fixed when a command first uses it, and said once.
 */
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { profileOf } from "../lib/agents/mod.ts";
import { create } from "./support/e2e_suite.ts";
import { AGENTS, waitFor, type World, worldTest } from "./support/world.ts";

/** Every path under `dir` with its permission bits. */
async function modes(dir: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const walk = async (d: string) => {
    for await (const entry of Deno.readDir(d)) {
      const path = join(d, entry.name);
      // The hook's temp file may come and go while this walks.
      const info = await Deno.lstat(path).catch(() => undefined);
      if (!info || info.isSymlink || !(info.isFile || info.isDirectory)) {
        continue;
      }
      out.set(relative(dir, path), info.mode! & 0o777);
      if (info.isDirectory) await walk(path);
    }
  };
  out.set(".", (await Deno.lstat(dir)).mode! & 0o777);
  await walk(dir);
  return out;
}

function assertPrivate(all: Map<string, number>, world: World): void {
  const open = [...all].filter(([, m]) => (m & 0o077) !== 0);
  assert.deepEqual(
    open.map(([p, m]) => `${p} ${m.toString(8)}`),
    [],
    `readable by others in ${world.dataDir}`,
  );
}

for (const agent of AGENTS) {
  worldTest(
    agent,
    `${agent} private data: after a create and a turn the data dir is 0700 and the events, settings, state and ledger files 0600; an open data dir left by an older release is fixed on first use and said once`,
    async (world) => {
      // The tests run under umask 022: new files would be 0644.
      await create(world, "p1", "hello");
      const sent = await world.cli([
        "send",
        "--wait",
        "-s",
        "p1",
        "--key",
        "k1",
        "-p",
        "a secret prompt",
      ]);
      assert.equal(sent.code, 0, sent.stderr);
      // The wait ends on the transcript; the turn-end hook (Stop, notify)
      // may still be writing: let it finish before looking at the modes.
      await waitFor("the turn-end signal of the keyed turn", async () => {
        const files = [...(await modes(world.dataDir)).keys()]
          .filter((p) => p.endsWith(".jsonl"));
        const runtime = JSON.parse(
          await Deno.readTextFile(join(world.dataDir, "hub-runtime.json")),
        );
        const agentSessionId =
          runtime.sessions[`${world.backend}/p1`]?.agentSessionId ?? null;
        const profile = profileOf(world.backend);
        for (const p of files) {
          const lines = (await Deno.readTextFile(join(world.dataDir, p)))
            .split("\n").filter((l) => l !== "");
          // A turn end at or after the signal that names the prompt.
          const named = lines.findIndex((l) => l.includes("a secret prompt"));
          if (
            named >= 0 &&
            lines.slice(named).some((l) =>
              profile.signal(JSON.parse(l), { agentSessionId })?.kind ===
                "turn_ended"
            )
          ) return true;
        }
        return false;
      });
      const all = await modes(world.dataDir);
      assert.equal(all.get("."), 0o700);
      const events = [...all.keys()].filter((p) => p.endsWith(".jsonl"));
      assert.ok(events.length > 0, [...all.keys()].join(" "));
      for (const p of events) assert.equal(all.get(p), 0o600, p);
      assert.equal(all.get("hub-runtime.json"), 0o600);
      assert.ok(
        [...all.keys()].some((p) => p.startsWith("sent/")),
        "the idempotency ledger was written",
      );
      if (agent === "claude") {
        assert.ok(
          [...all.keys()].some((p) => p.endsWith("claude-settings.json")),
          "the per-run settings were written",
        );
      }
      assertPrivate(all, world);
      assert.doesNotMatch(sent.stderr, /readable by other users/);

      // As an older release left it.
      for (const [p, m] of all) {
        const path = join(world.dataDir, p);
        const info = await Deno.lstat(path);
        await Deno.chmod(path, info.isDirectory ? 0o755 : m | 0o044);
      }
      const listed = await world.cli(["list"]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.equal(
        listed.stderr.match(/readable by other users/g)?.length,
        1,
        listed.stderr,
      );
      assertPrivate(await modes(world.dataDir), world);
      const again = await world.cli(["list"]);
      assert.doesNotMatch(again.stderr, /readable by other users/);
    },
  );
}
