/**
 * Which sessions an MCP server may press keys in or stop: those it
 * created itself, unless it was started with `--all-sessions`.
 *
 * @module
 */
import { UsageError } from "../errors.ts";

/**
 * The sessions one MCP server created (per backend), and the check that
 * guards `send_keys` and `stop_session`.
 *
 * @example
 * ```ts
 * import { Ownership } from "./ownership.ts";
 * const owned = new Ownership({ allSessions: false });
 * owned.add("tmux-agent", "w1");
 * owned.check("tmux-agent", "w1", "stop_session"); // ok
 * ```
 */
export class Ownership {
  readonly #created = new Map<string, Set<string>>();
  readonly #all: boolean;

  /**
   * An empty record.
   *
   * @param options `allSessions`: every session may be touched
   */
  constructor(options: { allSessions: boolean }) {
    this.#all = options.allSessions;
  }

  /**
   * Records that this server created `sessionId` of `backend`.
   *
   * @param backend the backend's name
   * @param sessionId the session
   */
  add(backend: string, sessionId: string): void {
    const set = this.#created.get(backend) ?? new Set<string>();
    set.add(sessionId);
    this.#created.set(backend, set);
  }

  /**
   * Whether this server created `sessionId` of `backend`.
   *
   * @param backend the backend's name
   * @param sessionId the session
   */
  created(backend: string, sessionId: string): boolean {
    return this.#created.get(backend)?.has(sessionId) ?? false;
  }

  /**
   * Refuses (a usage error, nothing done) `tool` on a session this server
   * did not create, unless it runs with `--all-sessions`.
   *
   * @param backend the backend's name
   * @param sessionId the session
   * @param tool the tool's name, for the message
   */
  check(backend: string, sessionId: string, tool: string): void {
    if (this.#all || this.created(backend, sessionId)) return;
    throw new UsageError(
      `${tool} refused: session "${sessionId}" was not created by this MCP server (a person's or another agent's session); nothing was done. A person can allow it by starting \`aimax mcp --all-sessions\``,
    );
  }
}
