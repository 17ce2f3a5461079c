/**
 * The permissions baked into the compiled binary (`scripts/compile.ts`) are
 * enough for every kind of command: the binary cannot be built here (its
 * runtime is on Deno's download host), so the CLI runs from source under
 * exactly that set: `create` and `list` against the real Claude Code TUI,
 * `aimax serve`, and the remote CLI against it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { BAKED_PERMISSIONS, compileArgs } from "../scripts/compile.ts";
import { create, waitReply } from "./support/e2e_suite.ts";
import { startServe, TOKEN } from "./support/serve_client.ts";
import { ROOT, worldTest } from "./support/world.ts";

Deno.test("compile: one deno compile per target, of cli.ts, with the baked permissions", () => {
  const args = compileArgs("x86_64-unknown-linux-gnu", "/src");
  assert.equal(args[0], "compile");
  for (const flag of BAKED_PERMISSIONS) assert.ok(args.includes(flag), flag);
  assert.deepEqual(args.slice(-5), [
    "--target",
    "x86_64-unknown-linux-gnu",
    "--output",
    "/src/dist/aimax-x86_64-unknown-linux-gnu",
    "/src/cli.ts",
  ]);
});

worldTest(
  "claude",
  "compile: the baked permissions run create, list, serve and the remote CLI",
  async (world) => {
    await create(world, "b1", "hello");
    await waitReply(world, "b1", "ack: hello");
    const listed = await world.cli(["list", "--json"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      JSON.parse(listed.stdout).map((r: { sessionId: string }) => r.sessionId),
      ["b1"],
    );
    const served = await startServe(world);
    try {
      const remote = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--quiet",
          ...BAKED_PERMISSIONS,
          join(ROOT, "cli.ts"),
          "status",
          "-s",
          "b1",
          "--json",
        ],
        env: { ...world.env, AIMAX_SERVER: served.url },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(remote.stderr);
      assert.equal(remote.code, 0, stderr);
      const status = JSON.parse(new TextDecoder().decode(remote.stdout));
      assert.equal(status.sessionId, "b1");
      assert.equal(status.state, "idle");
    } finally {
      const stderr = await served.stop();
      assert.doesNotMatch(stderr, /NotCapable|Requires .* access/);
    }
  },
  {
    env: { AIMAX_SERVE_TOKEN: TOKEN },
    permissions: () => [...BAKED_PERMISSIONS],
  },
);
