/**
 * Copying files git does not carry (`.env`, local settings) from the main
 * tree into a new worktree, only those the user names (`--copy PATH…`).
 *
 * @module
 */
import { dirname, isAbsolute, join, normalize, relative } from "../path.ts";
import { InputError } from "../errors.ts";
import { SetupError } from "./errors.ts";

/**
 * `path` as a safe path relative to a tree, or an {@linkcode InputError}:
 * not empty, not absolute, no `..` part, not inside `.git`.
 *
 * @example
 * ```ts
 * import { relativeInside } from "./copy.ts";
 * relativeInside("config//local.json"); // "config/local.json"
 * relativeInside("../secrets"); // throws InputError
 * ```
 * @param path what the user named
 */
export function relativeInside(path: string): string {
  const refuse = (why: string) =>
    new InputError(`cannot copy "${path}": ${why}`);
  if (typeof path !== "string" || path.trim() === "" || path.includes("\0")) {
    throw refuse("not a path");
  }
  if (isAbsolute(path)) throw refuse("give a path relative to the repository");
  if (path.split(/[/\\]/).includes("..")) {
    throw refuse("a path with .. could leave the repository");
  }
  const clean = normalize(path).replace(/\/+$/, "");
  if (clean === "." || clean === "") {
    throw refuse("name files or folders inside the repository, not all of it");
  }
  if (clean === ".git" || clean.startsWith(".git/")) {
    throw refuse("git's own folder is not copied");
  }
  return clean;
}

/** Copies `from` to `to` (neither followed if a link), never over something there. */
async function copyEntry(from: string, to: string, rel: string): Promise<void> {
  const info = await Deno.lstat(from);
  const there = await Deno.lstat(to).catch(() => undefined);
  if (info.isDirectory) {
    if (there && !there.isDirectory) {
      throw new SetupError(
        `cannot copy ${rel}: the worktree has a file there`,
      );
    }
    if (!there) await Deno.mkdir(to);
    for await (const entry of Deno.readDir(from)) {
      await copyEntry(
        join(from, entry.name),
        join(to, entry.name),
        join(rel, entry.name),
      );
    }
    // Its mode last: a read-only folder is filled first.
    if (!there && info.mode !== null) await Deno.chmod(to, info.mode & 0o7777);
    return;
  }
  if (there) {
    throw new SetupError(
      `cannot copy ${rel}: the worktree has it already (tracked by git?); nothing is overwritten`,
    );
  }
  if (info.isSymlink) {
    await Deno.symlink(await Deno.readLink(from), to);
  } else if (info.isFile) {
    await Deno.copyFile(from, to);
    if (info.mode !== null) await Deno.chmod(to, info.mode & 0o7777);
  } else {
    throw new SetupError(`cannot copy ${rel}: not a file, folder or link`);
  }
}

/**
 * Copies each of `options.paths` (relative to the main tree; files,
 * folders, links as links) to the same place in the worktree, keeping
 * modes and making parent folders. Refuses absolute paths, `..`, `.git`
 * and anything whose parent resolves outside the main tree; a missing
 * path, or one the worktree has already, fails with a
 * {@linkcode SetupError}: nothing in the worktree is overwritten.
 *
 * @example
 * ```ts
 * import { copyUntracked } from "./copy.ts";
 * await copyUntracked("/src/app", "/data/worktrees/app-1a2b3c4d/s1", {
 *   paths: [".env", "config/local.json"],
 * });
 * ```
 * @param mainRoot the main tree's root
 * @param worktree the worktree's root
 * @param options `paths` to copy
 * @returns the relative paths copied
 * @throws {InputError} for a path that is not inside the repository
 * @throws {SetupError} for a missing path or one the worktree has
 */
export async function copyUntracked(
  mainRoot: string,
  worktree: string,
  options: { paths: readonly string[] },
): Promise<string[]> {
  const root = await Deno.realPath(mainRoot);
  const rels = options.paths.map(relativeInside);
  for (const rel of rels) {
    const parent = await Deno.realPath(dirname(join(root, rel))).catch(() =>
      undefined
    );
    const up = parent === undefined ? ".." : relative(root, parent);
    const inside = up !== ".." && !up.startsWith("../") && !isAbsolute(up);
    const there = parent !== undefined &&
      await Deno.lstat(join(root, rel)).then(() => true, () => false);
    if (!there) {
      throw new SetupError(`cannot copy ${rel}: no such file in ${mainRoot}`);
    }
    if (!inside) {
      throw new InputError(
        `cannot copy "${rel}": its folder is outside the repository (a link)`,
      );
    }
  }
  for (const rel of rels) {
    const to = join(worktree, rel);
    await Deno.mkdir(dirname(to), { recursive: true });
    await copyEntry(join(root, rel), to, rel);
  }
  return rels;
}
