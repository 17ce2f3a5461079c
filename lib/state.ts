/**
 * The state store: `hub-runtime.json` (live sessions) and
 * `hub-archive.json` (ended ones) in the data dir. Every change happens under
 * a cross-process file lock and is written atomically (temp file, fsync,
 * rename). A corrupt file is moved aside with a clear error, never silently
 * replaced by an empty one.
 *
 * @module
 */
import { basename, dirname, join } from "./path.ts";
import { AimaxError, StateCorruptError } from "./errors.ts";
import { withFileLock } from "./lock.ts";
import type { PermissionMode, SessionPermission } from "./agent_options.ts";
import { securePrivateData } from "./private.ts";
import type { SessionRules } from "./rules.ts";

/**
 * What aimax remembers of one session.
 *
 * @example
 * ```ts
 * import type { SessionRecord } from "@aimax/cli";
 * const text = await Deno.readTextFile("/home/me/.local/share/aimax/hub-runtime.json");
 * const live: SessionRecord[] = Object.values(JSON.parse(text).sessions);
 * ```
 */
export interface SessionRecord {
  /** The aimax session id (the tmux window name). */
  sessionId: string;
  /** Backend name. */
  backend: string;
  /** The agent's own conversation id (the agent's own id), once known. */
  agentSessionId: string | null;
  /** The transcript, once known. */
  jsonlPath: string | null;
  /** Working directory (canonical). */
  cwd: string;
  /** Anchor of the flag files. */
  flagRoot: string;
  /** Model passed to the agent, if any. */
  model: string | null;
  /**
   * The permission mode it started in and where that came from (absent in
   * records of an older aimax).
   */
  permission?: SessionPermission;
  /**
   * The permission mode `create` was given, given again when its
   * conversation is resumed (`agentSessionId`) without options of its own
   * (absent: the agent's default).
   */
  permissionMode?: PermissionMode;
  /** Arguments passed through to the agent, given again likewise. */
  agentArgs?: string[];
  /**
   * The rules `create` was given (`--allow`, `--deny`), given again
   * likewise and on `revive` (absent: none).
   */
  rules?: SessionRules;
  /** The session's own git worktree, when it was created with one. */
  worktree?: SessionWorktree;
  /** Whether the proxychains path was used. */
  useProxy: boolean;
  /** Free-form label. */
  displayName: string | null;
  /** The tmux server (`AIMAX_TMUX_SOCKET`) the window lives on. */
  tmuxSocket: string;
  /** Hub session id, `$N`. */
  hubId: string;
  /** Window id, `@N`. */
  windowId: string;
  /** Pane id, `%N`. */
  paneId: string;
  /** Pid of the pane's process (the agent). */
  panePid: number;
  /** ISO time the session was created. */
  startedAt: string;
  /** ISO time of the last prompt submission. */
  lastPromptAt: string | null;
  /** Backend-specific facts (e.g. the first prompt's text, for thread discovery). */
  extra: Record<string, unknown>;
}

/**
 * An ended session in the archive.
 *
 * @example
 * ```ts
 * import type { ArchivedSession } from "./state.ts";
 * const text = await Deno.readTextFile("/home/me/.local/share/aimax/hub-archive.json");
 * const ended: ArchivedSession[] = JSON.parse(text).sessions;
 * ```
 */
export interface ArchivedSession extends SessionRecord {
  /** ISO time it was terminated. */
  endedAt: string;
  /** Whether a window was killed. */
  killed: boolean;
  /** Whether a job was running when it ended. */
  wasWorking: boolean;
  /** Why `create` failed, when it ended that way (resume with its `agentSessionId`). */
  failure?: string;
}

interface RuntimeFile {
  version: 1;
  sessions: Record<string, SessionRecord>;
}

interface ArchiveFile {
  version: 1;
  sessions: ArchivedSession[];
}

/** The most archived sessions kept. */
export const ARCHIVE_LIMIT = 1000;

/**
 * A session's own git worktree, as its record keeps it.
 *
 * @example
 * ```ts
 * import type { SessionWorktree } from "./state.ts";
 * const w: SessionWorktree = {
 *   repo: "/src/app",
 *   branch: "aimax/s1",
 *   baseCommit: "0123abcd",
 *   path: "/data/worktrees/app-1a2b3c4d/s1",
 *   mainBranch: "main",
 * };
 * ```
 */
export interface SessionWorktree {
  /** The repository's main tree (where its work is merged). */
  repo: string;
  /** The worktree's branch. */
  branch: string;
  /** The commit its changes are measured against. */
  baseCommit: string;
  /** The worktree's folder: the agent's working directory. */
  path: string;
  /** The branch checked out in the main tree when it was made, if any. */
  mainBranch?: string;
}

/**
 * The one key of a session across backends, `backend/sessionId`: how the
 * runtime state file and the followers know a session.
 *
 * @example
 * ```ts
 * import { sessionKey } from "./state.ts";
 * sessionKey("tmux-agent", "demo"); // "tmux-agent/demo"
 * ```
 * @param backend the backend's name
 * @param sessionId the session id
 */
export function sessionKey(backend: string, sessionId: string): string {
  return `${backend}/${sessionId}`;
}

const key = sessionKey;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Writes `text` to `path` atomically: a temp file (beside it, or in
 * `tmpDir`), fsync, rename. When `tmpDir` lies on another file system the
 * file is written in place instead.
 *
 * @param path destination
 * @param text content
 * @param options `tmpDir` for the temp file; `mode` of a new file
 */
export async function writeFileAtomic(
  path: string,
  text: string,
  options: { tmpDir?: string; mode?: number } = {},
): Promise<void> {
  const tmp = join(
    options.tmpDir ?? dirname(path),
    `.${basename(path)}.tmp-${Deno.pid}-${crypto.randomUUID()}`,
  );
  const file = await Deno.open(tmp, {
    write: true,
    create: true,
    truncate: true,
    mode: options.mode ?? 0o600,
  });
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) {
      written += await file.write(bytes.subarray(written));
    }
    await file.sync();
  } finally {
    file.close();
  }
  try {
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    if (options.tmpDir && /cross-device|EXDEV/i.test(String(error))) {
      await Deno.writeTextFile(path, text, { mode: options.mode ?? 0o600 });
      return;
    }
    throw error;
  }
}

/**
 * The two state files of one data dir.
 *
 * @example
 * ```ts
 * import { StateStore } from "./state.ts";
 * const store = new StateStore(await Deno.makeTempDir());
 * console.log(await store.list());
 * ```
 */
export class StateStore {
  /** The data dir. */
  readonly dataDir: string;
  /** `hub-runtime.json` */
  readonly runtimePath: string;
  /** `hub-archive.json` */
  readonly archivePath: string;
  /** The lock serialising every change. */
  readonly lockPath: string;

  /**
   * Creates an instance.
   * @param dataDir where the files live (created on first write)
   */
  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.runtimePath = join(dataDir, "hub-runtime.json");
    this.archivePath = join(dataDir, "hub-archive.json");
    this.lockPath = join(dataDir, "hub-state.lock");
  }

  async #ensureDir(): Promise<void> {
    try {
      await Deno.mkdir(this.dataDir, { recursive: true, mode: 0o700 });
      // Unique per call: concurrent calls in one process must not remove
      // each other's probe.
      const probe = join(
        this.dataDir,
        `.probe-${Deno.pid}-${crypto.randomUUID()}`,
      );
      await Deno.writeTextFile(probe, "");
      await Deno.remove(probe);
    } catch (error) {
      throw this.#unusable(error);
    }
    // Left readable by an older release: fixed once per process.
    await securePrivateData(this.dataDir).catch(() => undefined);
  }

  /** The error for a data dir that cannot be used (NotCapable kept as is). */
  #unusable(error: unknown): unknown {
    if (error instanceof Deno.errors.NotCapable) return error;
    return new AimaxError(
      "data_dir",
      `data dir ${this.dataDir} is not usable (${
        error instanceof Error ? error.message : error
      }); set AIMAX_DATA_DIR to a writable directory`,
    );
  }

  async #load<T>(
    path: string,
    empty: T,
    valid: (value: unknown) => value is T,
  ): Promise<T> {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return empty;
      throw error;
    }
    let reason = "unexpected structure";
    try {
      const value: unknown = JSON.parse(text);
      if (valid(value)) return value;
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    // The parser quotes the file's text: keep the error to one printable
    // line, so the paths after it are never cut off.
    // deno-lint-ignore no-control-regex
    reason = reason.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, " ").trim();
    if (reason.length > 160) reason = `${reason.slice(0, 157)}...`;
    const aside = `${path}.corrupt-${
      new Date().toISOString().replace(/[:.]/g, "-")
    }-${Deno.pid}`;
    await Deno.rename(path, aside);
    throw new StateCorruptError(path, aside, reason);
  }

  #loadRuntime(): Promise<RuntimeFile> {
    return this.#load<RuntimeFile>(
      this.runtimePath,
      { version: 1, sessions: {} },
      (v): v is RuntimeFile =>
        isObject(v) && v.version === 1 && isObject(v.sessions) &&
        Object.values(v.sessions).every((s) =>
          isObject(s) && typeof s.sessionId === "string" &&
          typeof s.backend === "string" && typeof s.paneId === "string"
        ),
    );
  }

  #loadArchive(): Promise<ArchiveFile> {
    return this.#load<ArchiveFile>(
      this.archivePath,
      { version: 1, sessions: [] },
      (v): v is ArchiveFile =>
        isObject(v) && v.version === 1 && Array.isArray(v.sessions),
    );
  }

  /**
   * Runs `fn` on the runtime state under the lock and writes the result back
   * atomically if `fn` changed it.
   *
   * @param fn reads and mutates `sessions`
   */
  async update<T>(
    fn: (sessions: Record<string, SessionRecord>) => T | Promise<T>,
  ): Promise<T> {
    await this.#ensureDir();
    return await withFileLock(this.lockPath, async () => {
      const state = await this.#loadRuntime();
      const before = JSON.stringify(state);
      const result = await fn(state.sessions);
      const after = JSON.stringify(state, null, 2);
      if (JSON.stringify(state) !== before) {
        await writeFileAtomic(this.runtimePath, after + "\n");
      }
      return result;
    });
  }

  /**
   * Records `claim` (an agent conversation and its transcript) on session
   * `sessionId` of `backend`, unless another session already holds that
   * conversation or the session is gone. Under the lock, so two sessions
   * never claim one conversation.
   *
   * @param backend the backend's name
   * @param sessionId the session
   * @param claim the conversation's id and its transcript
   * @returns whether the session now holds it
   */
  async claimAgentSession(
    backend: string,
    sessionId: string,
    claim: { agentSessionId: string; jsonlPath: string },
  ): Promise<boolean> {
    const own = key(backend, sessionId);
    return await this.update((sessions) => {
      const others = Object.entries(sessions).some(([k, s]) =>
        k !== own && s.agentSessionId === claim.agentSessionId
      );
      const mine = sessions[own];
      if (others || !mine) return false;
      mine.agentSessionId = claim.agentSessionId;
      mine.jsonlPath = claim.jsonlPath;
      return true;
    });
  }

  /**
   * Every live session record. A read takes no lock and writes nothing:
   * writers replace the file atomically (rename), so a read sees one whole
   * version.
   */
  async list(): Promise<SessionRecord[]> {
    // Left readable by an older release: fixed once per process.
    await securePrivateData(this.dataDir).catch(() => undefined);
    try {
      return Object.values((await this.#loadRuntime()).sessions);
    } catch (error) {
      if (error instanceof StateCorruptError) throw error;
      // e.g. AIMAX_DATA_DIR below a regular file (NotADirectory)
      throw this.#unusable(error);
    }
  }

  /**
   * One live session record.
   *
   * @param backend backend name
   * @param sessionId session id
   */
  async get(
    backend: string,
    sessionId: string,
  ): Promise<SessionRecord | undefined> {
    return (await this.list()).find((s) =>
      s.backend === backend && s.sessionId === sessionId
    );
  }

  /**
   * Inserts or replaces a record.
   *
   * @param record the session
   */
  async put(record: SessionRecord): Promise<void> {
    await this.update((sessions) => {
      sessions[key(record.backend, record.sessionId)] = record;
    });
  }

  /**
   * Changes fields of a record, if it exists.
   *
   * @param backend backend name
   * @param sessionId session id
   * @param patch fields to set
   */
  async patch(
    backend: string,
    sessionId: string,
    patch: Partial<SessionRecord>,
  ): Promise<SessionRecord | undefined> {
    return await this.update((sessions) => {
      const record = sessions[key(backend, sessionId)];
      if (!record) return undefined;
      Object.assign(record, patch);
      return record;
    });
  }

  /**
   * Moves a live record to the archive (keeping the newest
   * {@linkcode ARCHIVE_LIMIT}).
   *
   * @param backend backend name
   * @param sessionId session id
   * @param outcome how it ended
   * @returns the archived record, or `undefined` if it was not live
   */
  async archive(
    backend: string,
    sessionId: string,
    outcome: { killed: boolean; wasWorking: boolean; failure?: string },
  ): Promise<ArchivedSession | undefined> {
    return await this.update(async (sessions) => {
      const record = sessions[key(backend, sessionId)];
      if (!record) return undefined;
      const archived: ArchivedSession = {
        ...record,
        ...outcome,
        endedAt: new Date().toISOString(),
      };
      const archive = await this.#loadArchive();
      archive.sessions.push(archived);
      archive.sessions = archive.sessions.slice(-ARCHIVE_LIMIT);
      await writeFileAtomic(
        this.archivePath,
        JSON.stringify(archive, null, 2) + "\n",
      );
      delete sessions[key(backend, sessionId)];
      return archived;
    });
  }

  /** Every archived session, oldest first. */
  async archived(): Promise<ArchivedSession[]> {
    return (await this.#loadArchive()).sessions;
  }

  /**
   * Runs `fn` holding the per-session lock, which serialises submissions to
   * one session across processes.
   *
   * @param backend backend name
   * @param sessionId session id
   * @param fn the critical section
   */
  async withSessionLock<T>(
    backend: string,
    sessionId: string,
    fn: () => T | Promise<T>,
  ): Promise<T> {
    await this.#ensureDir();
    return await withFileLock(
      join(this.dataDir, "locks", `${backend}.${sessionId}.lock`),
      fn,
    );
  }
}
