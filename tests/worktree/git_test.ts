import assert from "node:assert/strict";
import { join } from "node:path";
import { PreflightError } from "../../lib/errors.ts";
import { GitError } from "../../lib/worktree/errors.ts";
import { execGit, runGit } from "../../lib/worktree/git.ts";
import { git, rejectsWithCode, withRepo, write } from "./support.ts";

/** Whether a process whose command line holds `marker` runs. */
async function running(marker: string): Promise<boolean> {
  const out = await new Deno.Command("pgrep", {
    args: ["-f", marker],
    stdout: "piped",
  }).output();
  return out.code === 0;
}

Deno.test("git: runGit returns standard output; a failure is a GitError with git's message", async () => {
  await withRepo(async ({ repo }) => {
    assert.equal(
      (await runGit(["rev-parse", "--abbrev-ref", "HEAD"], { cwd: repo }))
        .trim(),
      "main",
    );
    const error = await rejectsWithCode(
      runGit(["rev-parse", "--verify", "no-such-ref"], { cwd: repo }),
      "git_failed",
    );
    assert.ok(error instanceof GitError);
    assert.equal(error.exitCode, 128);
    assert.match(error.message, /fatal: Needed a single revision/);
  });
});

Deno.test("git: execGit returns any exit code without throwing", async () => {
  await withRepo(async ({ repo }) => {
    const out = await execGit(["rev-parse", "--verify", "-q", "nope"], {
      cwd: repo,
    });
    assert.equal(out.code, 1);
    assert.equal(out.stdout, "");
    assert.equal(out.truncated, false);
  });
});

Deno.test("git: a call past its time limit is killed with what it started", async () => {
  await withRepo(async ({ repo }) => {
    const marker = `sleep 3${Math.floor(Math.random() * 1000)}.5`;
    const started = Date.now();
    const error = await rejectsWithCode(
      runGit(["-c", `alias.hang=!${marker}`, "hang"], {
        cwd: repo,
        timeoutMs: 300,
      }),
      "git_failed",
    );
    assert.ok(Date.now() - started < 5_000);
    assert.match(error.message, /no answer within 300 ms; git was killed/);
    assert.equal(await running(marker), false, "the sleep git started is gone");
  });
});

Deno.test("git: output past the bound stops git and is marked truncated", async () => {
  await withRepo(async ({ repo }) => {
    const args = ["-c", "alias.big=!yes 0123456789 | head -c 5000000", "big"];
    const out = await execGit(args, { cwd: repo, maxOutputBytes: 1000 });
    assert.equal(out.truncated, true);
    assert.equal(out.stdout.length, 1000);
    const whole = await execGit(args, { cwd: repo });
    assert.equal(whole.truncated, false);
    assert.equal(whole.stdout.length, 5_000_000);
    await rejectsWithCode(
      runGit(args, { cwd: repo, maxOutputBytes: 1000 }),
      "git_failed",
    );
  });
});

Deno.test("git: GIT_DIR, GIT_INDEX_FILE and GIT_CONFIG_PARAMETERS of aimax's environment do not reach git", async () => {
  await withRepo(async ({ dir, repo }) => {
    const other = join(dir, "other");
    await Deno.mkdir(other);
    await git(other, "init", "-q", "-b", "trunk");
    Deno.env.set("GIT_DIR", join(other, ".git"));
    Deno.env.set("GIT_INDEX_FILE", join(dir, "elsewhere-index"));
    Deno.env.set("GIT_CONFIG_PARAMETERS", "'core.hookspath'='/tmp/evil'");
    try {
      assert.equal(
        (await runGit(["symbolic-ref", "--short", "HEAD"], { cwd: repo }))
          .trim(),
        "main",
      );
      assert.equal(
        (await runGit(["config", "--get", "core.hooksPath"], { cwd: repo }))
          .trim(),
        "/dev/null",
      );
      await runGit(["status"], { cwd: repo });
    } finally {
      Deno.env.delete("GIT_DIR");
      Deno.env.delete("GIT_INDEX_FILE");
      Deno.env.delete("GIT_CONFIG_PARAMETERS");
    }
    assert.equal(
      await Deno.stat(join(dir, "elsewhere-index")).then(
        () => true,
        () => false,
      ),
      false,
    );
  });
});

Deno.test("git: the fixed options beat the repository's own configuration (no hooks run)", async () => {
  await withRepo(async ({ dir, repo }) => {
    const marker = join(dir, "hook-ran");
    await write(
      repo,
      ".git/hooks/pre-commit",
      `#!/bin/sh\ntouch '${marker}'\nexit 1\n`,
    );
    await Deno.chmod(join(repo, ".git/hooks/pre-commit"), 0o755);
    await git(repo, "config", "core.hooksPath", ".git/hooks");
    await write(repo, "x.txt", "x\n");
    await runGit(["add", "x.txt"], { cwd: repo });
    await runGit([
      "-c",
      "user.name=T",
      "-c",
      "user.email=t@x",
      "commit",
      "-q",
      "-m",
      "x",
    ], { cwd: repo });
    assert.equal(await Deno.stat(marker).then(() => true, () => false), false);
  });
});

Deno.test("git: a missing folder is a GitError naming it, not 'git not found'", async () => {
  const error = await rejectsWithCode(
    runGit(["status"], { cwd: "/nonexistent/aimax-folder" }),
    "git_failed",
  );
  assert.match(error.message, /no such directory: \/nonexistent\/aimax-folder/);
  assert.ok(!(error instanceof PreflightError));
});
