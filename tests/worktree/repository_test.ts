import assert from "node:assert/strict";
import { join } from "node:path";
import { repositoryOf } from "../../lib/worktree/repository.ts";
import { git, rejectsWithCode, withRepo } from "./support.ts";

Deno.test("repository: from a folder inside, its root, common dir, HEAD and branch", async () => {
  await withRepo(async ({ repo }) => {
    await Deno.mkdir(join(repo, "sub/deeper"), { recursive: true });
    const found = await repositoryOf(join(repo, "sub/deeper"));
    assert.equal(found.root, repo);
    assert.equal(found.commonDir, join(repo, ".git"));
    assert.equal(found.head, (await git(repo, "rev-parse", "HEAD")).trim());
    assert.equal(found.branch, "main");
  });
});

Deno.test("repository: a detached HEAD has no branch; a repository without commits no head", async () => {
  await withRepo(async ({ dir, repo }) => {
    await git(repo, "checkout", "-q", "--detach");
    assert.equal((await repositoryOf(repo)).branch, undefined);
    const empty = join(dir, "empty");
    await Deno.mkdir(empty);
    await git(empty, "init", "-q", "-b", "trunk");
    const found = await repositoryOf(empty);
    assert.equal(found.head, undefined);
    assert.equal(found.branch, "trunk");
  });
});

Deno.test("repository: a linked worktree is its own root with the main repository's common dir", async () => {
  await withRepo(async ({ dir, repo }) => {
    const linked = join(dir, "linked");
    await git(repo, "worktree", "add", "-q", "-b", "side", linked);
    const found = await repositoryOf(linked);
    assert.equal(found.root, linked);
    assert.equal(found.commonDir, join(repo, ".git"));
    assert.equal(found.branch, "side");
  });
});

Deno.test("repository: outside a repository, in a missing folder or in .git: not_a_repository", async () => {
  await withRepo(async ({ dir, repo }) => {
    const plain = join(dir, "plain");
    await Deno.mkdir(plain);
    const error = await rejectsWithCode(
      repositoryOf(plain),
      "not_a_repository",
    );
    assert.match(
      error.message,
      /^not inside a git repository: .*plain \(not a git repository/,
    );
    assert.ok(!error.message.includes("\n"));
    await rejectsWithCode(
      repositoryOf(join(dir, "missing")),
      "not_a_repository",
    );
    await rejectsWithCode(repositoryOf(join(repo, ".git")), "not_a_repository");
  });
});
