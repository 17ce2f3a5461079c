import assert from "node:assert/strict";
import { join } from "node:path";
import { addWorktree } from "../../lib/worktree/add.ts";
import { BranchExistsError } from "../../lib/worktree/errors.ts";
import { staleIntents } from "../../lib/worktree/intents.ts";
import { intentsDir, worktreePath } from "../../lib/worktree/paths.ts";
import { git, look, rejectsWithCode, withRepo, write } from "./support.ts";

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

async function intentFiles(data: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(intentsDir(data))) names.push(e.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names;
}

Deno.test("add: a new branch aimax/<id> from HEAD, checked out in the folder, intent gone", async () => {
  await withRepo(async ({ repo, data }) => {
    const head = (await git(repo, "rev-parse", "HEAD")).trim();
    const path = await worktreePath(repo, "s1", { dataDir: data });
    const added = await addWorktree({
      repo: join(repo),
      path,
      sessionId: "s1",
      dataDir: data,
    });
    assert.deepEqual(added, {
      repo,
      branch: "aimax/s1",
      baseCommit: head,
      path,
      createdBranch: true,
    });
    assert.equal(
      await Deno.readTextFile(join(path, "notes.txt")),
      "one\ntwo\nthree\n",
    );
    assert.equal(
      (await git(path, "symbolic-ref", "--short", "HEAD")).trim(),
      "aimax/s1",
    );
    assert.equal((await git(repo, "rev-parse", "aimax/s1")).trim(), head);
    assert.match(
      await git(repo, "worktree", "list", "--porcelain"),
      new RegExp(`worktree ${path}\n`),
    );
    assert.deepEqual(await intentFiles(data), []);
    assert.equal((await Deno.stat(join(path, ".."))).mode! & 0o777, 0o700);
    // The main tree is untouched.
    assert.equal(await git(repo, "status", "--porcelain"), "");
  });
});

Deno.test("add: from a folder inside the repository, with a branch and base of one's choosing", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const first = (await git(repo, "rev-parse", "HEAD")).trim();
    await write(repo, "later.txt", "later\n");
    await git(repo, "add", "later.txt");
    await git(repo, "commit", "-q", "-m", "later");
    await Deno.mkdir(join(repo, "sub"));
    const path = join(dir, "elsewhere", "wt");
    const added = await addWorktree({
      repo: join(repo, "sub"),
      path,
      sessionId: "s2",
      dataDir: data,
      branch: "feature/x",
      base: first,
    });
    assert.equal(added.repo, repo);
    assert.equal(added.branch, "feature/x");
    assert.equal(added.baseCommit, first);
    assert.equal(await exists(join(path, "later.txt")), false);
  });
});

Deno.test("add: an existing branch is refused, nothing changed; reuseBranch checks it out with its fork point as base", async () => {
  await withRepo(async ({ repo, data }) => {
    const base = (await git(repo, "rev-parse", "HEAD")).trim();
    await git(repo, "branch", "aimax/s1");
    const before = await look(repo);
    const path = await worktreePath(repo, "s1", { dataDir: data });
    const error = await rejectsWithCode(
      addWorktree({ repo, path, sessionId: "s1", dataDir: data }),
      "branch_exists",
    );
    assert.ok(error instanceof BranchExistsError);
    assert.deepEqual(await look(repo), before);
    assert.equal(await exists(path), false);
    assert.deepEqual(await intentFiles(data), []);

    // The branch has a commit of its own; the main branch moves on too.
    await git(repo, "checkout", "-q", "aimax/s1");
    await write(repo, "own.txt", "own\n");
    await git(repo, "add", "own.txt");
    await git(repo, "commit", "-q", "-m", "own");
    await git(repo, "checkout", "-q", "main");
    await write(repo, "main.txt", "main\n");
    await git(repo, "add", "main.txt");
    await git(repo, "commit", "-q", "-m", "main moves");
    const added = await addWorktree({
      repo,
      path,
      sessionId: "s1",
      dataDir: data,
      reuseBranch: true,
    });
    assert.equal(added.createdBranch, false);
    assert.equal(added.baseCommit, base);
    assert.equal(await Deno.readTextFile(join(path, "own.txt")), "own\n");
  });
});

Deno.test("add: a branch checked out elsewhere, or a folder that exists, is busy", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    await git(repo, "worktree", "add", "-q", "-b", "taken", join(dir, "other"));
    const before = await look(repo);
    const error = await rejectsWithCode(
      addWorktree({
        repo,
        path: join(dir, "wt"),
        sessionId: "s1",
        dataDir: data,
        branch: "taken",
        reuseBranch: true,
      }),
      "worktree_busy",
    );
    assert.match(error.message, /checked out in .*other/);
    await Deno.mkdir(join(dir, "full"));
    await rejectsWithCode(
      addWorktree({
        repo,
        path: join(dir, "full"),
        sessionId: "s1",
        dataDir: data,
      }),
      "worktree_busy",
    );
    assert.deepEqual(await look(repo), before);
  });
});

Deno.test("add: bad names, bases, folders and repositories are refused before anything changes", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const before = await look(repo);
    const path = join(dir, "wt");
    const cases: [Record<string, unknown>, string][] = [
      [{ branch: "-D" }, "invalid_input"],
      [{ branch: "a..b" }, "invalid_input"],
      [{ branch: "@{-1}" }, "invalid_input"],
      [{ base: "no-such-ref" }, "invalid_input"],
      [{ base: "--all" }, "invalid_input"],
      [{ sessionId: "../x" }, "invalid_input"],
      [{ path: "relative/wt" }, "invalid_input"],
      [{ repo: dir }, "not_a_repository"],
    ];
    for (const [change, code] of cases) {
      await rejectsWithCode(
        addWorktree(
          { repo, path, sessionId: "s1", dataDir: data, ...change } as never,
        ),
        code,
      );
    }
    assert.deepEqual(await look(repo), before);
    assert.equal(await exists(path), false);
  });
});

Deno.test("add: a repository without a commit says so", async () => {
  await withRepo(async ({ dir, data }) => {
    const empty = join(dir, "empty");
    await Deno.mkdir(empty);
    await git(empty, "init", "-q");
    const error = await rejectsWithCode(
      addWorktree({
        repo: empty,
        path: join(dir, "wt"),
        sessionId: "s1",
        dataDir: data,
      }),
      "invalid_input",
    );
    assert.match(error.message, /has no commit yet/);
  });
});

Deno.test("add: a failure after the branch was made takes it back (in process)", async () => {
  await withRepo(async ({ repo, data }) => {
    const before = await look(repo);
    const path = await worktreePath(repo, "s1", { dataDir: data });
    for (const failAt of ["branch-created", "worktree-added"]) {
      await assert.rejects(
        addWorktree({
          repo,
          path,
          sessionId: "s1",
          dataDir: data,
          onStep: (step) => {
            if (step === failAt) throw new Error(`fail at ${step}`);
          },
        }),
        new RegExp(`fail at ${failAt}`),
      );
      assert.deepEqual(await look(repo), before, failAt);
      assert.equal(await exists(path), false, failAt);
      assert.deepEqual(await intentFiles(data), [], failAt);
    }
  });
});

Deno.test("add: the repository's post-checkout hook does not run", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const marker = join(dir, "hook-ran");
    await write(
      repo,
      ".git/hooks/post-checkout",
      `#!/bin/sh\ntouch '${marker}'\n`,
    );
    await Deno.chmod(join(repo, ".git/hooks/post-checkout"), 0o755);
    await git(repo, "checkout", "-q", "-b", "probe");
    assert.equal(await exists(marker), true, "the hook works when git runs it");
    await Deno.remove(marker);
    await git(repo, "checkout", "-q", "main");
    await Deno.remove(marker);
    await addWorktree({
      repo,
      path: join(dir, "wt"),
      sessionId: "s1",
      dataDir: data,
    });
    assert.equal(await exists(marker), false);
  });
});

Deno.test("add: keepIntent leaves the intent held until the caller clears it", async () => {
  await withRepo(async ({ repo, data }) => {
    const path = await worktreePath(repo, "s1", { dataDir: data });
    const added = await addWorktree({
      repo,
      path,
      sessionId: "s1",
      dataDir: data,
      keepIntent: true,
    });
    assert.ok(added.intent);
    assert.equal(added.intent.record.path, path);
    assert.deepEqual(await intentFiles(data), [
      `${added.intent.record.id}.json`,
    ]);
    assert.deepEqual(await staleIntents(data), [], "held: not stale");
    await added.intent.clear();
    assert.deepEqual(await intentFiles(data), []);
  });
});
