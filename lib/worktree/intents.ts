/**
 * Intent files: before aimax changes a repository it writes down what it is
 * about to create (`<dataDir>/worktrees/.intents/<id>.json`, 0600), and
 * removes the file once the change is complete. The writer holds an
 * exclusive lock (`flock`) on the file from before it appears under its
 * name until it is removed; the kernel releases it when the writer dies,
 * even by SIGKILL. So a file whose lock can be taken is the trace of an
 * operation that died half-way, and one whose lock is held belongs to a
 * live process and is left alone.
 *
 * @module
 */
import { join } from "../path.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../private.ts";
import { intentsDir } from "./paths.ts";

/**
 * What adding a worktree is about to create.
 *
 * @example
 * ```ts
 * import type { AddIntent } from "./intents.ts";
 * const intent: AddIntent = {
 *   kind: "add", repo: "/src/app", path: "/data/worktrees/app-1a2b3c4d/s1",
 *   branch: "aimax/s1", baseCommit: "0123abcd", createsBranch: true,
 * };
 * ```
 */
export interface AddIntent {
  /** The operation. */
  kind: "add";
  /** The repository's main tree, where git runs to undo it. */
  repo: string;
  /** The worktree's folder; it did not exist before. */
  path: string;
  /** The worktree's branch. */
  branch: string;
  /** The commit the branch starts from. */
  baseCommit: string;
  /** Whether the operation creates the branch (`false`: it reuses one). */
  createsBranch: boolean;
}

/**
 * An intent as written: the intent, and who wrote it when.
 *
 * @example
 * ```ts
 * import type { IntentRecord } from "./intents.ts";
 * const record: IntentRecord = {
 *   version: 1, id: "m0x1-ab12cd34", pid: 4242, startedAt: "2026-12-03T10:00:00.000Z",
 *   kind: "add", repo: "/src/app", path: "/data/worktrees/app-1a2b3c4d/s1",
 *   branch: "aimax/s1", baseCommit: "0123abcd", createsBranch: true,
 * };
 * ```
 */
export interface IntentRecord extends AddIntent {
  /** The format's version. */
  version: 1;
  /** The intent's id (its file's name without `.json`). */
  id: string;
  /** The writer's process id. */
  pid: number;
  /** When it was written (ISO 8601). */
  startedAt: string;
}

/** Writes all of `bytes` to `file`. */
async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await file.write(bytes.subarray(written));
  }
}

/**
 * An intent file this process has written and holds locked until
 * {@linkcode IntentFile.clear}.
 *
 * @example
 * ```ts
 * import { IntentFile } from "./intents.ts";
 * const intent = await IntentFile.write(await Deno.makeTempDir(), {
 *   kind: "add", repo: "/src/app", path: "/tmp/wt/s1",
 *   branch: "aimax/s1", baseCommit: "0123abcd", createsBranch: true,
 * });
 * // … change the repository …
 * await intent.clear();
 * ```
 */
export class IntentFile {
  /** What was written. */
  readonly record: IntentRecord;
  /** The file's path. */
  readonly path: string;
  #file: Deno.FsFile | undefined;

  private constructor(record: IntentRecord, path: string, file: Deno.FsFile) {
    this.record = record;
    this.path = path;
    this.#file = file;
  }

  /**
   * Writes `intent` to a new file in the data dir's intents folder and
   * keeps it locked. The file is written under a temporary name, synced,
   * then renamed: under its own name it is always whole, and locked.
   *
   * @param dataDir the data dir
   * @param intent what is about to be created
   */
  static async write(dataDir: string, intent: AddIntent): Promise<IntentFile> {
    const dir = intentsDir(dataDir);
    await Deno.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const id = `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
    const record: IntentRecord = {
      version: 1,
      id,
      pid: Deno.pid,
      startedAt: new Date().toISOString(),
      ...intent,
    };
    const tmp = join(dir, `.${id}.json.tmp`);
    const path = join(dir, `${id}.json`);
    const file = await Deno.open(tmp, {
      write: true,
      createNew: true,
      mode: PRIVATE_FILE_MODE,
    });
    try {
      if (!await file.tryLock(true)) {
        throw new Error(`intent file ${tmp} is locked by another process`);
      }
      await writeAll(
        file,
        new TextEncoder().encode(JSON.stringify(record, null, 2) + "\n"),
      );
      await file.sync();
      await Deno.rename(tmp, path);
    } catch (error) {
      file.close();
      await Deno.remove(tmp).catch(() => {});
      throw error;
    }
    return new IntentFile(record, path, file);
  }

  /**
   * Lets go of the lock and leaves the file: the operation could not be
   * completed nor undone, and is left to a later `recoverIntents`.
   */
  release(): void {
    this.#file?.close();
    this.#file = undefined;
  }

  /** Removes the file (the operation is complete or undone) and lets go of its lock. */
  async clear(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    this.#file = undefined;
    try {
      await Deno.remove(this.path).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    } finally {
      file.close();
    }
  }
}

/**
 * An intent file left by an operation that died: this process now holds
 * its lock. `record` is `undefined` when its content could not be read.
 *
 * @example
 * ```ts
 * import { staleIntents } from "./intents.ts";
 * for (const stale of await staleIntents("/data")) {
 *   console.log(stale.record?.path ?? stale.problem);
 *   stale.release();
 * }
 * ```
 */
export interface StaleIntent {
  /** The file. */
  path: string;
  /** What it says. */
  record: IntentRecord | undefined;
  /** Why `record` is missing. */
  problem?: string;
  /** Removes the file (its operation is undone) and lets go of the lock. */
  remove(): Promise<void>;
  /** Lets go of the lock, leaving the file for a later look. */
  release(): void;
}

/** A temporary file younger than this may be one being written right now. */
const TMP_GRACE_MS = 60_000;

/** Parses an intent file's text; `undefined` when it is not one. */
function parseRecord(text: string): IntentRecord | undefined {
  try {
    const record = JSON.parse(text);
    if (
      record?.version === 1 && record.kind === "add" &&
      typeof record.id === "string" && typeof record.repo === "string" &&
      typeof record.path === "string" && typeof record.branch === "string" &&
      typeof record.baseCommit === "string" &&
      typeof record.createsBranch === "boolean"
    ) return record as IntentRecord;
  } catch { /* not JSON */ }
  return undefined;
}

/**
 * Takes the lock of `path` if nobody holds it and the name still points
 * at the locked file (a writer removes the file before letting go, so a
 * lock taken after that is on a file no longer there).
 */
async function claim(path: string): Promise<Deno.FsFile | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true, write: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    if (await file.tryLock(true)) {
      const [held, named] = await Promise.all([
        file.stat(),
        Deno.stat(path).catch(() => undefined),
      ]);
      if (named && held.ino === named.ino && held.dev === named.dev) {
        return file;
      }
    }
  } catch (error) {
    file.close();
    throw error;
  }
  file.close();
  return undefined;
}

/**
 * The intent files of `dataDir` whose writer is gone, each locked by this
 * process until its `remove()` or `release()`. Files of live operations
 * are skipped; temporary files of writes that died before their intent
 * was complete (nothing was changed yet) are removed on the way.
 *
 * @example
 * ```ts
 * import { staleIntents } from "./intents.ts";
 * const stale = await staleIntents("/data");
 * for (const s of stale) s.release();
 * ```
 * @param dataDir the data dir
 */
export async function staleIntents(dataDir: string): Promise<StaleIntent[]> {
  const dir = intentsDir(dataDir);
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const stale: StaleIntent[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (name.startsWith(".") && name.endsWith(".json.tmp")) {
      const info = await Deno.stat(path).catch(() => undefined);
      const age = Date.now() - (info?.mtime?.getTime() ?? Date.now());
      if (age < TMP_GRACE_MS) continue;
      const file = await claim(path);
      if (file) {
        await Deno.remove(path).catch(() => {});
        file.close();
      }
      continue;
    }
    if (name.startsWith(".") || !name.endsWith(".json")) continue;
    const file = await claim(path);
    if (!file) continue;
    const text = await Deno.readTextFile(path).catch(() => "");
    const record = parseRecord(text);
    let open = true;
    const release = () => {
      if (open) file.close();
      open = false;
    };
    stale.push({
      path,
      record,
      ...(record ? {} : { problem: "not an aimax intent file" }),
      remove: async () => {
        try {
          await Deno.remove(path).catch((error) => {
            if (!(error instanceof Deno.errors.NotFound)) throw error;
          });
        } finally {
          release();
        }
      },
      release,
    });
  }
  return stale;
}
