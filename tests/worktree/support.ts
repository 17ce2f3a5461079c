/**
 * Real git repositories in temporary folders for the worktree tests,
 * isolated from the user's git configuration: importing this module points
 * `GIT_CONFIG_GLOBAL` of this process at an empty temporary config (no
 * excludes or attributes file from HOME either) and sets
 * `GIT_CONFIG_NOSYSTEM`, both read by git only. Children the tests start
 * get their own HOME as well ({@linkcode isolatedEnv}).
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const configHome = await Deno.realPath(
  await Deno.makeTempDir({ prefix: "aimax-git-home-" }),
);
const globalConfig = join(configHome, "gitconfig");
await Deno.writeTextFile(
  globalConfig,
  "[core]\n\texcludesFile = /dev/null\n\tattributesFile = /dev/null\n",
);
globalThis.addEventListener("unload", () => {
  Deno.removeSync(configHome, { recursive: true });
});
Deno.env.set("GIT_CONFIG_GLOBAL", globalConfig);
Deno.env.set("GIT_CONFIG_NOSYSTEM", "1");
for (
  const name of [
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "EMAIL",
  ]
) Deno.env.delete(name);

/** Deno's module cache, kept for children although their HOME changes. */
const denoDir = Deno.env.get("DENO_DIR") ?? JSON.parse(
  new TextDecoder().decode(
    (await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json"],
      stdout: "piped",
      stderr: "null",
    }).output()).stdout,
  ),
).denoDir;

/**
 * The environment of a child process the tests start: PATH, its own HOME,
 * the isolated git configuration, Deno's module cache.
 *
 * @param home the child's HOME
 */
export function isolatedEnv(home: string): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    GIT_CONFIG_GLOBAL: globalConfig,
    GIT_CONFIG_NOSYSTEM: "1",
    DENO_DIR: denoDir,
  };
}

/** The identity of the tests' own commits (never the library's fallback). */
const TEST_IDENTITY = [
  "-c",
  "user.name=Tester",
  "-c",
  "user.email=t@example.org",
];

/**
 * Runs git for a test (not through the library under test); fails on a
 * non-zero exit. Returns standard output.
 *
 * @param cwd where git runs
 * @param args its arguments
 */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: [...TEST_IDENTITY, ...args],
    cwd,
    clearEnv: true,
    env: isolatedEnv(configHome),
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  if (out.code !== 0) {
    throw new Error(
      `test git ${args.join(" ")} failed (${out.code}): ${
        decoder.decode(out.stderr)
      }`,
    );
  }
  return decoder.decode(out.stdout);
}

/** Writes `text` to `path` (relative to `dir`), making its folders. */
export async function write(
  dir: string,
  path: string,
  text: string,
): Promise<void> {
  const full = join(dir, path);
  await Deno.mkdir(join(full, ".."), { recursive: true });
  await Deno.writeTextFile(full, text);
}

/**
 * A test's world: a repository (`repo`, on branch `main`, one commit with
 * `README.md` and `notes.txt`), a data dir, a scratch folder.
 */
export interface RepoWorld {
  /** The temporary folder holding everything. */
  dir: string;
  /** The repository's main tree. */
  repo: string;
  /** The data dir. */
  data: string;
}

/**
 * Runs `fn` with a new {@linkcode RepoWorld}, then removes it.
 *
 * @param fn the test body
 */
export async function withRepo(
  fn: (world: RepoWorld) => Promise<void>,
): Promise<void> {
  const dir = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "aimax-wt-" }),
  );
  try {
    const repo = join(dir, "my repo");
    const data = join(dir, "data");
    await Deno.mkdir(repo);
    await git(repo, "init", "-q", "-b", "main");
    await write(repo, "README.md", "# demo\n");
    await write(repo, "notes.txt", "one\ntwo\nthree\n");
    await git(repo, "add", "-A");
    await git(repo, "commit", "-q", "-m", "first");
    await fn({ dir, repo, data });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * What a person would look at to see that a repository is as before:
 * `git worktree list`, `git status`, `git branch`, HEAD, and whether any
 * lock file lies in the git directory.
 */
export interface RepoLook {
  /** `git worktree list --porcelain`. */
  worktrees: string;
  /** `git status --porcelain --untracked-files=all`. */
  status: string;
  /** `git branch -a -v --no-abbrev`. */
  branches: string;
  /** HEAD's commit. */
  head: string;
  /** `*.lock` files under the git directory. */
  locks: string[];
}

/** Lock files under `dir`, relative. */
async function locksUnder(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory && entry.name !== "objects") {
      found.push(...await locksUnder(join(dir, entry.name), rel));
    } else if (entry.name.endsWith(".lock")) found.push(rel);
  }
  return found;
}

/**
 * A {@linkcode RepoLook} at `repo`.
 *
 * @param repo the main tree
 */
export async function look(repo: string): Promise<RepoLook> {
  return {
    worktrees: await git(repo, "worktree", "list", "--porcelain"),
    status: await git(repo, "status", "--porcelain", "--untracked-files=all"),
    branches: await git(repo, "branch", "-a", "-v", "--no-abbrev"),
    head: (await git(repo, "rev-parse", "HEAD")).trim(),
    locks: await locksUnder(join(repo, ".git")),
  };
}

/**
 * Asserts that `after` reads as `before`.
 *
 * @param after the repository now @param before as it was @param why what happened in between
 */
export function assertSameRepo(
  after: RepoLook,
  before: RepoLook,
  why: string,
): void {
  assert.deepEqual(after, before, why);
}

/**
 * Whether `promise` rejects with an error of `code`; returns the error.
 *
 * @param promise the call @param code the expected `code`
 */
export async function rejectsWithCode(
  promise: Promise<unknown>,
  code: string,
): Promise<Error & { code: string }> {
  try {
    await promise;
  } catch (error) {
    assert.equal((error as { code?: string }).code, code, String(error));
    return error as Error & { code: string };
  }
  assert.fail(`expected an error with code ${code}`);
}

/** This folder's fault child (see fault_child.ts). */
const FAULT_CHILD = new URL("./fault_child.ts", import.meta.url).pathname;

/**
 * Starts the fault child (`add` or `merge` with `options`), to pause at
 * `step` when given. `paused` resolves once it says it paused there (or
 * with `false` when it ended first).
 *
 * @param what `add` or `merge`
 * @param options the call's options (JSON)
 * @param step the step to pause at
 */
export function spawnFaultChild(
  what: "add" | "merge",
  options: Record<string, unknown>,
  step?: string,
): {
  child: Deno.ChildProcess;
  paused: Promise<boolean>;
  printed: () => string;
  stderr: Promise<string>;
} {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-lock", FAULT_CHILD, what],
    clearEnv: true,
    env: {
      ...isolatedEnv(configHome),
      AIMAX_FAULT_OPTIONS: JSON.stringify(options),
      ...(step ? { AIMAX_FAULT_PAUSE_AT: step } : {}),
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let printed = "";
  const paused = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      printed += decoder.decode(chunk, { stream: true });
      if (step && printed.includes(`paused ${step}\n`)) return true;
    }
    return false;
  })();
  return {
    child,
    paused,
    printed: () => printed,
    stderr: new Response(child.stderr).text(),
  };
}

/**
 * Runs the fault child (`add` or `merge` with `options`) until it says it
 * paused at `step`, then kills it with SIGKILL. Without `step` it runs to
 * its end. Returns what it printed.
 *
 * @param what `add` or `merge`
 * @param options the call's options (JSON)
 * @param step the step to be killed at
 */
export async function runFaultChild(
  what: "add" | "merge",
  options: Record<string, unknown>,
  step?: string,
): Promise<string> {
  const run = spawnFaultChild(what, options, step);
  const paused = await run.paused;
  if (paused) run.child.kill("SIGKILL");
  const status = await run.child.status;
  const why = `${run.printed()}\n${await run.stderr}`;
  if (step) {
    assert.ok(paused, `it did not pause at ${step}: ${why}`);
    assert.equal(status.signal, "SIGKILL", why);
  } else {
    assert.equal(status.code, 0, why);
  }
  return run.printed();
}
