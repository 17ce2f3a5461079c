/**
 * What can go wrong with a session's git worktree, one class per code:
 * `git_failed`, `not_a_repository`, `branch_exists`, `worktree_busy`,
 * `dirty_tree`, `merge_conflict`, `setup_failed`. Every message is one
 * line (a setup failure adds the last lines of the command's output).
 *
 * @module
 */
import { AimaxError } from "../errors.ts";

/** The most characters of git's standard error a message keeps. */
const STDERR_CHARS = 500;

/** The most arguments of a failed git call its message shows. */
const SHOWN_ARGS = 8;

/**
 * `text` on one line: control characters (escape sequences, carriage
 * returns, newlines) become spaces, runs of blanks one space, at most
 * `max` characters.
 *
 * @example
 * ```ts
 * import { oneLine } from "./errors.ts";
 * oneLine("fatal: bad\n\x1b[31mthing\x1b[0m\n", 80); // "fatal: bad [31mthing [0m"
 * ```
 * @param text what a program printed
 * @param max the most characters kept (an ellipsis marks a cut)
 */
export function oneLine(text: string, max: number): string {
  // deno-lint-ignore no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * A git command failed (or did not answer in time): carries its
 * arguments, exit code and standard error (one line, sanitised).
 *
 * @example
 * ```ts
 * import { GitError } from "./errors.ts";
 * import { runGit } from "./git.ts";
 * try {
 *   await runGit(["rev-parse", "--verify", "no-such-ref"], { cwd: "/tmp" });
 * } catch (error) {
 *   if (error instanceof GitError) console.log(error.exitCode, error.stderr);
 * }
 * ```
 */
export class GitError extends AimaxError {
  /** The git arguments that failed (without the binary and the fixed `-c` options). */
  readonly argv: readonly string[];
  /** git's exit code (`-1` when it did not run to its end). */
  readonly exitCode: number;
  /** git's standard error on one line, sanitised and clipped. */
  readonly stderr: string;

  /**
   * Creates an instance.
   *
   * @param argv the arguments git was called with
   * @param exitCode its exit code
   * @param stderr what it printed on standard error (or why it was stopped)
   */
  constructor(argv: readonly string[], exitCode: number, stderr: string) {
    const line = oneLine(stderr, STDERR_CHARS);
    const shown = argv.slice(0, SHOWN_ARGS).map((arg) => oneLine(arg, 80)).join(
      " ",
    );
    const more = argv.length > SHOWN_ARGS
      ? ` … (${argv.length - SHOWN_ARGS} more arguments)`
      : "";
    super(
      "git_failed",
      `git ${shown}${more} failed (exit ${exitCode}): ${line || "no output"}`,
    );
    this.name = "GitError";
    this.argv = argv;
    this.exitCode = exitCode;
    this.stderr = line;
  }
}

/**
 * The directory is not inside a git working tree (or does not exist).
 *
 * @example
 * ```ts
 * import { NotARepositoryError } from "./errors.ts";
 * import { repositoryOf } from "./repository.ts";
 * try {
 *   await repositoryOf("/");
 * } catch (error) {
 *   if (error instanceof NotARepositoryError) console.log(error.message);
 * }
 * ```
 */
export class NotARepositoryError extends AimaxError {
  /** The directory that was asked about. */
  readonly cwd: string;

  /**
   * Creates an instance.
   * @param cwd the directory @param detail why (one line)
   */
  constructor(cwd: string, detail: string) {
    super(
      "not_a_repository",
      `not inside a git repository: ${cwd} (${oneLine(detail, 200)})`,
    );
    this.name = "NotARepositoryError";
    this.cwd = cwd;
  }
}

/**
 * The branch a new worktree would create exists already (and reusing it
 * was not asked for). Nothing was changed.
 *
 * @example
 * ```ts
 * import { BranchExistsError } from "./errors.ts";
 * const error = new BranchExistsError("aimax/s1");
 * console.log(error.code); // "branch_exists"
 * ```
 */
export class BranchExistsError extends AimaxError {
  /** The branch. */
  readonly branch: string;

  /**
   * Creates an instance.
   * @param branch the branch that exists
   */
  constructor(branch: string) {
    super(
      "branch_exists",
      `the branch ${branch} exists already; pick another branch or reuse it on purpose (reuseBranch / --reuse-branch)`,
    );
    this.name = "BranchExistsError";
    this.branch = branch;
  }
}

/**
 * The worktree's folder or branch is taken: the folder exists, the branch
 * is checked out in another worktree, or the worktree is locked.
 *
 * @example
 * ```ts
 * import { WorktreeBusyError } from "./errors.ts";
 * const error = new WorktreeBusyError("/data/worktrees/r-1234/s1 exists already");
 * console.log(error.code); // "worktree_busy"
 * ```
 */
export class WorktreeBusyError extends AimaxError {
  /**
   * Creates an instance.
   * @param message what is taken, one line
   */
  constructor(message: string) {
    super("worktree_busy", message);
    this.name = "WorktreeBusyError";
  }
}

/** How many file names a message lists before "and N more". */
const LISTED_FILES = 10;

/**
 * `files` for a message: the first few, then how many more.
 *
 * @example
 * ```ts
 * import { listFiles } from "./errors.ts";
 * listFiles(["a", "b"]); // "a, b"
 * ```
 * @param files relative paths
 */
export function listFiles(files: readonly string[]): string {
  const shown = files.slice(0, LISTED_FILES).map((f) => oneLine(f, 200));
  const more = files.length - shown.length;
  return more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
}

/**
 * A tree has work that an operation would lose or mix: the main tree has
 * uncommitted changes (merge), or a worktree has uncommitted or unmerged
 * work (remove without discard). Nothing was changed.
 *
 * @example
 * ```ts
 * import { DirtyTreeError } from "./errors.ts";
 * const error = new DirtyTreeError("the main tree /src/app has uncommitted changes", ["a.ts"]);
 * console.log(error.files); // ["a.ts"]
 * ```
 */
export class DirtyTreeError extends AimaxError {
  /** The files concerned, relative to the tree (empty when only commits are concerned). */
  readonly files: readonly string[];

  /**
   * Creates an instance.
   * @param what which tree and what it has, one line @param files the files concerned
   */
  constructor(what: string, files: readonly string[]) {
    super(
      "dirty_tree",
      files.length > 0 ? `${what}: ${listFiles(files)}` : what,
    );
    this.name = "DirtyTreeError";
    this.files = files;
  }
}

/**
 * Merging a worktree's branch would conflict; nothing was changed in the
 * main tree.
 *
 * @example
 * ```ts
 * import { MergeConflictError } from "./errors.ts";
 * const error = new MergeConflictError("aimax/s2", "main", ["notes.txt"]);
 * console.log(error.message); // "merging aimax/s2 into main would conflict in notes.txt; nothing was changed"
 * ```
 */
export class MergeConflictError extends AimaxError {
  /** The conflicting files, relative to the repository. */
  readonly files: readonly string[];

  /**
   * Creates an instance.
   * @param branch the worktree's branch @param into where it was to be merged
   * @param files the conflicting files
   */
  constructor(branch: string, into: string, files: readonly string[]) {
    super(
      "merge_conflict",
      `merging ${branch} into ${into} would conflict in ${
        listFiles(files)
      }; nothing was changed`,
    );
    this.name = "MergeConflictError";
    this.files = files;
  }
}

/**
 * Preparing a new worktree failed: a file to copy is missing or taken, or
 * the setup command failed (its exit code and last lines of output are
 * kept).
 *
 * @example
 * ```ts
 * import { SetupError } from "./errors.ts";
 * const error = new SetupError("setup command exited with 3", { exitCode: 3, output: ["boom"] });
 * console.log(error.exitCode, error.output);
 * ```
 */
export class SetupError extends AimaxError {
  /** The setup command's exit code (`undefined`: not a command failure, or killed). */
  readonly exitCode: number | undefined;
  /** The last lines of the command's output (sanitised). */
  readonly output: readonly string[];

  /**
   * Creates an instance.
   * @param message what failed, one line
   * @param details `exitCode` and last `output` lines of a setup command
   */
  constructor(
    message: string,
    details: { exitCode?: number; output?: readonly string[] } = {},
  ) {
    const output = details.output ?? [];
    super(
      "setup_failed",
      output.length > 0
        ? `${message}\n--- last output ---\n${output.join("\n")}`
        : message,
    );
    this.name = "SetupError";
    this.exitCode = details.exitCode;
    this.output = output;
  }
}
