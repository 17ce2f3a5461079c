/**
 * The README's quick starts are the files in examples/, and they work: each
 * runs here against the real agent TUI in an isolated world.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, worldTest } from "./support/world.ts";

const readme = await Deno.readTextFile(join(ROOT, "README.md"));

Deno.test("README shows the library quick start exactly as examples/quickstart.ts", async () => {
  const example = await Deno.readTextFile(join(ROOT, "examples/quickstart.ts"));
  assert.ok(
    readme.includes(
      example.replace('from "../mod.ts"', 'from "jsr:@aimax/cli"'),
    ),
    "README.md must hold examples/quickstart.ts (with the jsr: import)",
  );
});

Deno.test("README shows the CLI quick start exactly as examples/quickstart.sh", async () => {
  const example = await Deno.readTextFile(join(ROOT, "examples/quickstart.sh"));
  assert.ok(
    readme.includes(example),
    "README.md must hold examples/quickstart.sh",
  );
});

worldTest(
  "claude",
  "examples/quickstart.ts runs against the real Claude Code TUI",
  async (world) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        ...world.flags,
        join(ROOT, "examples/quickstart.ts"),
        "tmux-claude-code",
        world.cwd,
      ],
      env: world.env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(stdout, /started, agent session = [0-9a-f-]{36}/);
    assert.match(stdout, /event: assistant: ack: Also add a README\./);
    assert.match(stdout, /killed: true/);
  },
);

worldTest(
  "claude",
  "examples/quickstart.sh runs against the real Claude Code TUI",
  async (world) => {
    const bin = join(world.root, "bin");
    await Deno.mkdir(bin);
    await Deno.writeTextFile(
      join(bin, "aimax"),
      `#!/bin/sh\nexec "${Deno.execPath()}" run --quiet ${
        world.flags.map((f) => `'${f}'`).join(" ")
      } "${join(ROOT, "mod.ts")}" "$@"\n`,
      { mode: 0o755 },
    );
    const out = await new Deno.Command("bash", {
      args: ["-e", join(ROOT, "examples/quickstart.sh")],
      cwd: world.cwd,
      env: { ...world.env, PATH: `${bin}:${world.env.PATH}` },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr) + stdout);
    assert.match(stdout, /created demo/);
    assert.match(stdout, /sent to demo/);
    assert.match(stdout, /stopped demo/);
  },
);
