/**
 * The end-to-end suite against the real Codex TUI, plus what is Codex's
 * own: concurrent sessions in one cwd get their own threads, and a stopped
 * session leaves no codex process behind.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { create, defineE2eSuite, waitReply } from "./support/e2e_suite.ts";
import { json, waitFor, type World, worldTest } from "./support/world.ts";

defineE2eSuite("codex");

async function codexPids(world: World): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const environ = await Deno.readTextFile(`/proc/${entry.name}/environ`);
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      if (
        environ.includes(`CODEX_HOME=${join(world.root, "codex-home")}`) &&
        // argv[0] or the script node runs (not tmux, whose hub name says codex)
        cmdline.split("\0").slice(0, 2).some((arg) =>
          /(^|\/)codex(\.js)?$/.test(arg)
        )
      ) pids.push(Number(entry.name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

worldTest(
  "codex",
  "codex e2e: two sessions created at once in one cwd get distinct threads",
  async (world) => {
    const [a, b] = await Promise.all([
      create(world, "ca", "same prompt"),
      create(world, "cb", "same prompt"),
    ]);
    assert.notEqual(a.agentSessionId, b.agentSessionId);
    assert.notEqual(a.jsonlPath, b.jsonlPath);
    await waitReply(world, "ca", "ack: same prompt");
    await waitReply(world, "cb", "ack: same prompt");
    // Each session's follow-up lands in its own transcript.
    const sent = await world.cli(["send", "-s", "ca", "-p", "only for a"]);
    assert.equal(sent.code, 0, sent.stderr);
    await waitReply(world, "ca", "ack: only for a");
    const hb = json(await world.cli(["history", "-s", "cb", "--json"]));
    assert.ok(!JSON.stringify(hb).includes("only for a"));
  },
);

worldTest(
  "codex",
  "codex e2e: after stop, no codex process of the session is left",
  async (world) => {
    // The world's config.toml does not disable Codex's daemon: aimax must.
    const config = await Deno.readTextFile(
      join(world.root, "codex-home", "config.toml"),
    );
    await Deno.writeTextFile(
      join(world.root, "codex-home", "config.toml"),
      config.replace(/^daemon_auto_start.*$/m, ""),
    );
    await create(world, "k1", "warm");
    await waitReply(world, "k1", "ack: warm");
    await world.cli(["send", "-s", "k1", "-p", "long [[slow 30]]"]);
    assert.ok((await codexPids(world)).length > 0, "codex runs");
    await waitFor(
      "the slow request at the stub",
      () => world.stub.prompts().some((p) => p.includes("[[slow 30]]")),
    );
    const before = world.stub.requests.length;
    const stopped = json(await world.cli(["stop", "-s", "k1", "--json"]));
    assert.equal(stopped.killed, true);
    assert.equal(stopped.wasWorking, true);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(await codexPids(world), []);
    assert.equal(world.stub.requests.length, before, "no request after stop");
  },
  { ignore: Deno.build.os !== "linux" },
);
