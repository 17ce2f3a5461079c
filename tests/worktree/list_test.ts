import assert from "node:assert/strict";
import { join } from "node:path";
import { findWorktree, listWorktrees } from "../../lib/worktree/list.ts";
import { git, withRepo } from "./support.ts";

Deno.test("list: the main tree first, then linked worktrees with branch, lock and prunable", async () => {
  await withRepo(async ({ dir, repo }) => {
    const a = join(dir, "wt a");
    const b = join(dir, "wt-b");
    await git(repo, "worktree", "add", "-q", "-b", "aimax/a", a);
    await git(repo, "worktree", "add", "-q", "--detach", b);
    await git(repo, "worktree", "lock", "--reason", "initializing", a);
    const c = join(dir, "wt-c");
    await git(repo, "worktree", "add", "-q", "-b", "c", c);
    await Deno.remove(c, { recursive: true });
    const entries = await listWorktrees(repo);
    assert.deepEqual(entries.map((e) => [e.path, e.main, e.branch, e.locked]), [
      [repo, true, "main", undefined],
      [a, false, "aimax/a", "initializing"],
      [b, false, undefined, undefined],
      [c, false, "c", undefined],
    ]);
    assert.equal(
      entries[0].head,
      (await git(repo, "rev-parse", "HEAD")).trim(),
    );
    assert.ok(entries[3].prunable);
    assert.equal(entries[1].prunable, undefined);
  });
});

Deno.test("list: findWorktree matches a folder through a symbolic link, never the main tree", async () => {
  await withRepo(async ({ dir, repo }) => {
    const real = join(dir, "real");
    await git(repo, "worktree", "add", "-q", "-b", "x", real);
    await Deno.symlink(dir, join(dir, "link"));
    const entries = await listWorktrees(repo);
    assert.equal(
      (await findWorktree(entries, join(dir, "link", "real")))?.branch,
      "x",
    );
    assert.equal(await findWorktree(entries, repo), undefined);
    assert.equal(await findWorktree(entries, join(dir, "none")), undefined);
  });
});
