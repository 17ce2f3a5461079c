/**
 * The data dir is private: it holds what the agents are told and answer
 * (the events files with each prompt and last message, the per-run
 * settings, the state files, the idempotency ledger). aimax makes it 0700
 * and what it writes there 0600, as the agents keep their own transcripts;
 * a data dir left readable by an older release (0755, files 0644) is
 * fixed once, when found.
 *
 * @module
 */
import { join } from "./path.ts";

/** The mode of the data dir and every directory in it. */
export const PRIVATE_DIR_MODE = 0o700;

/** The mode of a file aimax writes that holds conversation text. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * The socket the server behind the front of `port` listens on: in the data
 * dir (private), named after the port, so that `aimax config permissions
 * --serve HOST:PORT` can allow it.
 *
 * @example
 * ```ts
 * import { serveSocketPath } from "./private.ts";
 * serveSocketPath("/home/me/.local/share/aimax", 7878);
 * // "/home/me/.local/share/aimax/serve-7878.sock"
 * ```
 * @param dataDir the data dir
 * @param port the port clients connect to
 */
export function serveSocketPath(dataDir: string, port: number): string {
  return `${dataDir.replace(/\/+$/, "")}/serve-${port}.sock`;
}

/** The most entries one check looks at (a data dir holds a few hundred). */
const MAX_ENTRIES = 100_000;

/**
 * The file a complete check leaves in the data dir: while it is there and
 * the data dir is still 0700, later processes skip the walk (one `lstat`
 * per entry: a few milliseconds of every CLI call with twenty sessions).
 * What aimax writes there is 0600 from the start; only an older release's
 * files needed the walk. A data dir found open is walked again whatever it
 * holds.
 */
export const PRIVATE_CHECKED_MARK = ".private-checked";

/**
 * What {@linkcode securePrivateData} changed.
 *
 * @example
 * ```ts
 * import type { PrivacyFix } from "./private.ts";
 * const fix: PrivacyFix = { dataDir: "/data", dir: true, files: 3 };
 * ```
 */
export interface PrivacyFix {
  /** The data dir. */
  dataDir: string;
  /**
   * Whether the data dir itself was open to others (then what it holds
   * was readable; a file left 0644 inside a 0700 dir was not).
   */
  dir: boolean;
  /** How many files in it were readable by others and are now 0600 (0700 when executable). */
  files: number;
}

const checked = new Map<string, Promise<PrivacyFix | undefined>>();

let notice: ((line: string) => void) | undefined;

/**
 * Installs (or with `undefined` removes) what hears of a data dir made
 * private: it gets {@linkcode privacyFixLine}'s line, once per fix. The
 * CLI prints it on stderr; the library alone says nothing.
 *
 * @example
 * ```ts
 * import { setPrivacyNotice } from "./private.ts";
 * setPrivacyNotice((line) => console.error(`aimax: ${line}`));
 * ```
 * @param fn receives the line
 */
export function setPrivacyNotice(
  fn: ((line: string) => void) | undefined,
): void {
  notice = fn;
}

/** Whether `mode` lets the group or others in. */
function openToOthers(mode: number): boolean {
  return (mode & 0o077) !== 0;
}

/** Takes the group and other bits off `path` when it has any; whether it did. */
async function tighten(path: string, mode: number | null): Promise<boolean> {
  if (mode === null || !openToOthers(mode)) return false;
  try {
    await Deno.chmod(path, mode & 0o700);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) throw error;
    return false; // not ours, or gone meanwhile
  }
}

async function check(dataDir: string): Promise<PrivacyFix | undefined> {
  let top: Deno.FileInfo;
  try {
    // Synchronous, as the mark's check: two quick system calls at the start
    // of every CLI call, where Deno's first asynchronous file call costs a
    // millisecond or two more.
    top = Deno.lstatSync(dataDir);
  } catch {
    return undefined;
  }
  if (!top.isDirectory) return undefined;
  const fix: PrivacyFix = { dataDir, dir: false, files: 0 };
  const mark = join(dataDir, PRIVATE_CHECKED_MARK);
  if (top.mode !== null && !openToOthers(top.mode)) {
    try {
      if (Deno.lstatSync(mark).isFile) return fix;
    } catch {
      // not there: walk
    }
  }
  fix.dir = await tighten(dataDir, top.mode);
  const dirs = [dataDir];
  let seen = 0;
  while (dirs.length > 0 && seen < MAX_ENTRIES) {
    const dir = dirs.pop()!;
    try {
      for await (const entry of Deno.readDir(dir)) {
        if (++seen > MAX_ENTRIES) break;
        // Never follow a link out of the data dir; sockets and pipes stay.
        if (entry.isSymlink) continue;
        const path = join(dir, entry.name);
        let info: Deno.FileInfo;
        try {
          info = await Deno.lstat(path);
        } catch {
          continue; // gone meanwhile
        }
        if (info.isDirectory) {
          await tighten(path, info.mode);
          dirs.push(path);
        } else if (info.isFile && await tighten(path, info.mode)) {
          fix.files++;
        }
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) throw error;
      // unreadable or removed meanwhile: nothing to fix there
    }
  }
  if (seen < MAX_ENTRIES) {
    await Deno.writeFile(mark, new Uint8Array(), { mode: PRIVATE_FILE_MODE })
      .catch((error) => {
        if (error instanceof Deno.errors.NotCapable) throw error;
        // a read-only data dir: walked again next time
      });
  }
  return fix;
}

/**
 * Makes an existing data dir private, once: the dir and every
 * directory in it 0700, every regular file 0600 (0700 when executable,
 * the hook script). Links are not followed. Once per process, and across
 * processes through {@linkcode PRIVATE_CHECKED_MARK} while the dir stays
 * 0700. Resolves with what it changed
 * (`dir` false and `files` 0 when it already was private), or `undefined`
 * when there is no data dir yet (it is created 0700). What it changed is
 * told once to the {@linkcode setPrivacyNotice} listener.
 *
 * @example
 * ```ts
 * import { securePrivateData } from "./private.ts";
 * const fix = await securePrivateData(await Deno.makeTempDir());
 * if (fix && (fix.dir || fix.files > 0)) console.error("made private");
 * ```
 * @param dataDir the data dir
 */
export function securePrivateData(
  dataDir: string,
): Promise<PrivacyFix | undefined> {
  let pending = checked.get(dataDir);
  if (!pending) {
    pending = check(dataDir).then((fix) => {
      // Not there yet: look again next time.
      if (!fix) checked.delete(dataDir);
      const line = privacyFixLine(fix);
      if (line) notice?.(line);
      return fix;
    }, (error) => {
      checked.delete(dataDir);
      throw error;
    });
    checked.set(dataDir, pending);
  }
  return pending;
}

/**
 * The one line that says what {@linkcode securePrivateData} changed, or
 * `undefined` when nothing was exposed (a data dir that was 0700 is
 * tidied without a word: what it holds was not readable by others).
 *
 * @example
 * ```ts
 * import { privacyFixLine } from "./private.ts";
 * privacyFixLine({ dataDir: "/d", dir: true, files: 2 });
 * // "the data dir /d was readable by other users (…): made it private (directories 0700, 2 files 0600)"
 * ```
 * @param fix what was changed
 */
export function privacyFixLine(
  fix: PrivacyFix | undefined,
): string | undefined {
  if (!fix?.dir) return undefined;
  return `the data dir ${fix.dataDir} was readable by other users (it holds prompts and answers): made it private (directories 0700, ${fix.files} file${
    fix.files === 1 ? "" : "s"
  } 0600)`;
}
