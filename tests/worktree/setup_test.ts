import assert from "node:assert/strict";
import { join } from "node:path";
import { SetupError } from "../../lib/worktree/errors.ts";
import { runSetup, SETUP_TAIL_LINES } from "../../lib/worktree/setup.ts";
import { rejectsWithCode, withRepo } from "./support.ts";

Deno.test("setup: the command runs in the worktree, its output appended to a 0600 log", async () => {
  await withRepo(async ({ dir, repo }) => {
    const log = join(dir, "logs", "s1.log");
    await Deno.mkdir(join(dir, "logs"));
    await Deno.writeTextFile(log, "earlier line\n", { mode: 0o600 });
    const result = await runSetup(
      "pwd; echo out; echo err >&2; touch made-here",
      { cwd: repo, logPath: log },
    );
    assert.deepEqual(result.output.sort(), [repo, "err", "out"].sort());
    const text = await Deno.readTextFile(log);
    assert.match(text, /^earlier line\n--- setup in .* at .*: pwd; echo out/);
    assert.match(text, /\nout\n/);
    assert.match(text, /\nerr\n/);
    assert.match(text, /--- setup exited 0 \(\d+ ms\)\n$/);
    assert.ok(await Deno.stat(join(repo, "made-here")));
    const fresh = join(dir, "new", "s2.log");
    await runSetup("true", { cwd: repo, logPath: fresh });
    assert.equal((await Deno.stat(fresh)).mode! & 0o777, 0o600);
  });
});

Deno.test("setup: a non-zero exit is setup_failed with the exit code and the last lines", async () => {
  await withRepo(async ({ dir, repo }) => {
    const log = join(dir, "s1.log");
    const error = await rejectsWithCode(
      runSetup(
        "for i in $(seq 1 30); do echo line $i; done; printf '\\033[31mred\\n'; exit 3",
        { cwd: repo, logPath: log },
      ),
      "setup_failed",
    );
    assert.ok(error instanceof SetupError);
    assert.equal(error.exitCode, 3);
    assert.equal(error.output.length, SETUP_TAIL_LINES);
    assert.equal(error.output.at(-1), "[31mred");
    assert.equal(error.output.at(-2), "line 30");
    assert.match(
      error.message,
      /^the setup command exited with 3 \(its output is in .*s1\.log\)\n--- last output ---\nline 12\n/,
    );
    assert.match(await Deno.readTextFile(log), /--- setup exited 3/);
  });
});

Deno.test("setup: past its time limit it is killed with what it started", async () => {
  await withRepo(async ({ dir, repo }) => {
    const marker = `sleep 4${Math.floor(Math.random() * 1000)}.25`;
    const started = Date.now();
    const error = await rejectsWithCode(
      runSetup(`${marker} & echo started; wait`, {
        cwd: repo,
        logPath: join(dir, "s.log"),
        timeoutMs: 500,
      }),
      "setup_failed",
    );
    assert.ok(Date.now() - started < 5_000);
    assert.match(error.message, /did not finish within 500 ms and was killed/);
    assert.deepEqual((error as SetupError).output, ["started"]);
    const left = await new Deno.Command("pgrep", { args: ["-f", marker] })
      .output();
    assert.equal(left.code, 1, "the background sleep is gone");
  });
});
