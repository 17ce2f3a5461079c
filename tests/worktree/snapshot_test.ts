import assert from "node:assert/strict";
import { join } from "node:path";
import { worktreeTree } from "../../lib/worktree/snapshot.ts";
import { git, withRepo, write } from "./support.ts";

Deno.test("snapshot: the tree of the files as they are, untracked included, ignored left out; the index untouched", async () => {
  await withRepo(async ({ dir, repo }) => {
    await write(repo, ".gitignore", "*.log\n");
    await write(repo, "notes.txt", "changed\n");
    await write(repo, "staged.txt", "staged\n");
    await git(repo, "add", "staged.txt");
    await write(repo, "untracked/u.txt", "u\n");
    await write(repo, "debug.log", "ignored\n");
    const index = join(repo, ".git", "index");
    const indexBefore = await Deno.readFile(index);
    const tree = await worktreeTree(repo);
    assert.deepEqual(await Deno.readFile(index), indexBefore);
    assert.equal(
      await git(repo, "diff", "--cached", "--name-only"),
      "staged.txt\n",
    );
    const listed = await git(repo, "ls-tree", "-r", "--name-only", tree);
    assert.deepEqual(listed.trim().split("\n"), [
      ".gitignore",
      "README.md",
      "notes.txt",
      "staged.txt",
      "untracked/u.txt",
    ]);
    assert.equal(
      await git(repo, "cat-file", "-p", `${tree}:notes.txt`),
      "changed\n",
    );
    // What `git add -A; git write-tree` gives in a copy of the repository.
    const copy = join(dir, "copy");
    await new Deno.Command("cp", { args: ["-a", repo, copy] }).output();
    await git(copy, "add", "-A");
    assert.equal((await git(copy, "write-tree")).trim(), tree);
  });
});
