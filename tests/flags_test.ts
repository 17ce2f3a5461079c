import assert from "node:assert/strict";
import { join } from "node:path";
import { InputError } from "../lib/errors.ts";
import {
  flagPaths,
  isJobDone,
  isJobFailed,
  writeRunningFlag,
} from "../lib/flags.ts";
import { withTempDir } from "./support/temp_dir.ts";

const withDir = (fn: (dir: string) => Promise<void>) =>
  withTempDir("aimax-flags-", fn);

Deno.test("flags: paths under <root>/.imac/flags/<id>", () => {
  const p = flagPaths("/work/repo", "demo");
  assert.deepEqual(p, {
    dir: "/work/repo/.imac/flags/demo",
    running: "/work/repo/.imac/flags/demo/running.flag",
    failed: "/work/repo/.imac/flags/demo/failed.flag",
  });
});

Deno.test("flags: unsafe session ids cannot leave the flag dir", () => {
  for (const bad of ["../x", "a/b", "..", "", "-x"]) {
    assert.throws(() => flagPaths("/r", bad), InputError, bad);
  }
});

Deno.test("flags: lifecycle running -> done, failed", async () => {
  await withDir(async (root) => {
    // No flag at all: done, not failed.
    assert.equal(await isJobDone(root, "s1"), true);
    assert.equal(await isJobFailed(root, "s1"), false);
    const flag = {
      sessionId: "s1",
      backend: "tmux-codex",
      submittedAt: "2024-01-01T00:00:00.000Z",
    };
    await writeRunningFlag(root, flag);
    const paths = flagPaths(root, "s1");
    assert.deepEqual(JSON.parse(await Deno.readTextFile(paths.running)), flag);
    assert.equal(await isJobDone(root, "s1"), false);
    // Other sessions are unaffected.
    assert.equal(await isJobDone(root, "s2"), true);
    // The agent finishes with a failure.
    await Deno.remove(paths.running);
    await Deno.writeTextFile(paths.failed, "");
    assert.equal(await isJobDone(root, "s1"), true);
    assert.equal(await isJobFailed(root, "s1"), true);
    // The next submission removes the stale failed flag.
    await writeRunningFlag(root, { ...flag, submittedAt: "later" });
    assert.equal(await isJobFailed(root, "s1"), false);
    assert.equal(await isJobDone(root, "s1"), false);
    await assert.rejects(() => Deno.stat(paths.failed), Deno.errors.NotFound);
    // A dangling symlink still counts as present (lstat).
    await Deno.remove(paths.running);
    await Deno.symlink(join(root, "nowhere"), paths.running);
    assert.equal(await isJobDone(root, "s1"), false);
  });
});
