import assert from "node:assert/strict";
import { join } from "node:path";
import { copyUntracked, relativeInside } from "../../lib/worktree/copy.ts";
import { rejectsWithCode, withRepo, write } from "./support.ts";

Deno.test("copy: files, folders and links land at the same place, modes kept", async () => {
  await withRepo(async ({ dir, repo }) => {
    const wt = join(dir, "wt");
    await Deno.mkdir(wt);
    await write(repo, ".env", "SECRET=1\n");
    await Deno.chmod(join(repo, ".env"), 0o600);
    await write(repo, "config/local/a.json", "{}\n");
    await write(repo, "config/local/run.sh", "#!/bin/sh\n");
    await Deno.chmod(join(repo, "config/local/run.sh"), 0o750);
    await Deno.symlink("../../.env", join(repo, "config/local/env-link"));
    const copied = await copyUntracked(repo, wt, {
      paths: [".env", "config/local/"],
    });
    assert.deepEqual(copied, [".env", "config/local"]);
    assert.equal(await Deno.readTextFile(join(wt, ".env")), "SECRET=1\n");
    assert.equal((await Deno.stat(join(wt, ".env"))).mode! & 0o777, 0o600);
    assert.equal(
      (await Deno.stat(join(wt, "config/local/run.sh"))).mode! & 0o777,
      0o750,
    );
    assert.equal(
      await Deno.readTextFile(join(wt, "config/local/a.json")),
      "{}\n",
    );
    assert.equal(
      await Deno.readLink(join(wt, "config/local/env-link")),
      "../../.env",
    );
  });
});

Deno.test("copy: absolute paths, .., the repository itself and .git are refused", () => {
  for (
    const bad of [
      "/etc/passwd",
      "../x",
      "a/../../x",
      ".",
      "./",
      "",
      ".git",
      ".git/config",
    ]
  ) {
    assert.throws(
      () => relativeInside(bad),
      (e: Error & { code?: string }) => e.code === "invalid_input",
      bad,
    );
  }
  assert.equal(relativeInside("./a//b/"), "a/b");
});

Deno.test("copy: a missing path, or one the worktree has, fails with setup_failed and overwrites nothing", async () => {
  await withRepo(async ({ dir, repo }) => {
    const wt = join(dir, "wt");
    await Deno.mkdir(wt);
    const missing = await rejectsWithCode(
      copyUntracked(repo, wt, { paths: ["nope.env"] }),
      "setup_failed",
    );
    assert.match(missing.message, /cannot copy nope\.env: no such file/);
    await write(wt, "notes.txt", "the worktree's\n");
    await write(repo, "notes.txt", "the main tree's\n");
    await rejectsWithCode(
      copyUntracked(repo, wt, { paths: ["notes.txt"] }),
      "setup_failed",
    );
    assert.equal(
      await Deno.readTextFile(join(wt, "notes.txt")),
      "the worktree's\n",
    );
  });
});

Deno.test("copy: a path under a link that leaves the repository is refused", async () => {
  await withRepo(async ({ dir, repo }) => {
    const wt = join(dir, "wt");
    await Deno.mkdir(wt);
    await write(dir, "outside/secret", "no\n");
    await Deno.symlink(join(dir, "outside"), join(repo, "out"));
    await rejectsWithCode(
      copyUntracked(repo, wt, { paths: ["out/secret"] }),
      "invalid_input",
    );
    assert.equal(
      await Deno.lstat(join(wt, "out")).then(() => true, () => false),
      false,
    );
  });
});
