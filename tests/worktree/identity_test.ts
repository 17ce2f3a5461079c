import assert from "node:assert/strict";
import {
  FALLBACK_IDENTITY,
  identityArgs,
} from "../../lib/worktree/identity.ts";
import { runGit } from "../../lib/worktree/git.ts";
import { git, withRepo, write } from "./support.ts";

Deno.test("identity: with none configured, commits are made as aimax <aimax@localhost>", async () => {
  await withRepo(async ({ repo }) => {
    const args = await identityArgs(repo);
    assert.deepEqual(args, [
      "-c",
      "user.name=aimax",
      "-c",
      "user.email=aimax@localhost",
    ]);
    await write(repo, "a.txt", "a\n");
    await runGit(["add", "a.txt"], { cwd: repo });
    await runGit([...args, "commit", "-q", "-m", "a"], { cwd: repo });
    const author = await git(repo, "log", "-1", "--format=%an <%ae>|%cn <%ce>");
    const who = `${FALLBACK_IDENTITY.name} <${FALLBACK_IDENTITY.email}>`;
    assert.equal(author.trim(), `${who}|${who}`);
  });
});

Deno.test("identity: what the user configured is kept; only what is missing falls back", async () => {
  await withRepo(async ({ repo }) => {
    await git(repo, "config", "user.name", "Ada");
    assert.deepEqual(await identityArgs(repo), [
      "-c",
      "user.email=aimax@localhost",
    ]);
    await git(repo, "config", "user.email", "ada@example.org");
    assert.deepEqual(await identityArgs(repo), []);
  });
});
