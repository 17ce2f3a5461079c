/**
 * A session with its own worktree for the CLI's worktree commands, without
 * an agent: a real repository and a real `git worktree` (made by the
 * engine's `addWorktree`), and the session's record in the state file
 * pointing at it, with no window behind it. The CLI runs in this process
 * (`main` from `cli.ts`) against the active config, set to the test's data
 * dir and an unused tmux socket. Git is isolated from the user's config
 * (`tests/worktree/support.ts`).
 *
 * @module
 */
import { AGENT_PROFILES } from "../../lib/agents/mod.ts";
import { join } from "node:path";
import { type CliIo, main } from "../../cli.ts";
import { setConfig } from "../../lib/config.ts";
import { resetBackends } from "../../lib/registry.ts";
import { type SessionWorktree, StateStore } from "../../lib/state.ts";
import { addWorktree, worktreePath } from "../../lib/worktree/mod.ts";
import { bareRecord } from "./records.ts";
import { git, withRepo, write } from "../worktree/support.ts";

export { git, write };

/** One session with a worktree, as a test sees it. */
export interface WorktreeSession {
  /** The temporary folder holding everything. */
  dir: string;
  /** The repository's main tree (branch `main`: `README.md`, `notes.txt`). */
  repo: string;
  /** The data dir. */
  data: string;
  /** The session's id. */
  sessionId: string;
  /** The worktree as the record keeps it. */
  worktree: SessionWorktree;
  /** Runs `aimax ARGS` in this process; what it printed and its exit code. */
  cli(args: string[], options?: { color?: boolean }): Promise<CliRun>;
}

/** What one CLI run printed. */
export interface CliRun {
  /** Exit code. */
  code: number;
  /** stdout lines (each `io.out` call one entry). */
  out: string[];
  /** stderr lines. */
  err: string[];
}

/**
 * Runs `main(args)` with an io that records what it prints.
 *
 * @param args the arguments
 * @param options `color`: stdout takes colour
 */
export async function runCli(
  args: string[],
  options: { color?: boolean } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stdin: () => Promise.resolve(undefined),
    color: () => options.color ?? false,
    interactive: () => false,
  };
  const code = await main(args, io);
  return { code, out, err };
}

/**
 * Runs `fn` with a repository, a worktree of session `sessionId` (branch
 * `aimax/<id>` from `main`) and its record (the first registered backend),
 * the config pointed at the test's data dir; then puts the config back and
 * removes everything.
 *
 * @param fn the test body
 * @param options the session's id (default `w1`)
 */
export async function withWorktreeSession(
  fn: (session: WorktreeSession) => Promise<void>,
  options: { sessionId?: string } = {},
): Promise<void> {
  const sessionId = options.sessionId ?? "w1";
  await withRepo(async ({ dir, repo, data }) => {
    const tmuxSocket = join(dir, "tmux.sock");
    setConfig({ dataDir: data, tmuxSocket, runPreflight: false });
    resetBackends();
    try {
      const added = await addWorktree({
        repo,
        path: await worktreePath(repo, sessionId, { dataDir: data }),
        sessionId,
        dataDir: data,
      });
      const worktree: SessionWorktree = {
        repo: added.repo,
        branch: added.branch,
        baseCommit: added.baseCommit,
        path: added.path,
        mainBranch: "main",
      };
      await new StateStore(data).put({
        ...bareRecord(sessionId, AGENT_PROFILES[0].name, added.path),
        tmuxSocket,
        worktree,
      });
      await fn({ dir, repo, data, sessionId, worktree, cli: runCli });
    } finally {
      setConfig({});
      resetBackends();
    }
  });
}
