/**
 * Where the MCP server's sessions live: this host's tmux backends, or a
 * remote `aimax serve` (`aimax mcp --server URL`). Either way the tools see
 * {@linkcode SessionBackend}s only.
 *
 * @module
 */
import type { SessionBackend, SessionStatus } from "../backend/contract.ts";
import { get, SUPPORTED_BACKENDS } from "../registry.ts";
import { listAllSessions } from "../listing.ts";
import { backendOf } from "../sessions.ts";
import {
  listRemoteSessions,
  RemoteBackend,
  remoteBackendOf,
} from "../remote/backend.ts";
import type { RemoteServer } from "../remote/server.ts";

/**
 * The sessions the MCP tools work on.
 *
 * @example
 * ```ts
 * import { localSource } from "./source.ts";
 * const rows = await localSource().list();
 * ```
 */
export interface SessionSource {
  /** The backend names a session can be created with. */
  readonly backends: readonly string[];
  /**
   * The backend named `name` (unknown: an `InputError`).
   *
   * @param name a backend name
   */
  backend(name: string): SessionBackend;
  /**
   * The backend that has session `sessionId` (validated; none:
   * `session_not_found`), or `backend` when given.
   *
   * @param sessionId a session id
   * @param backend the backend, when the caller names it
   */
  backendOf(sessionId: string, backend?: string): Promise<SessionBackend>;
  /**
   * Every session (of `backend`, or of all), with its status.
   *
   * @param backend one backend only
   */
  list(backend?: string): Promise<SessionStatus[]>;
}

/**
 * The sessions of this host (the backends of `lib/registry.ts`).
 *
 * @example
 * ```ts
 * import { localSource } from "./source.ts";
 * const source = localSource();
 * console.log(source.backends); // the registry's backend names
 * ```
 */
export function localSource(): SessionSource {
  return {
    backends: SUPPORTED_BACKENDS,
    backend: (name) => get(name),
    backendOf: (sessionId, backend) => backendOf(sessionId, { backend }),
    list: (backend) => listAllSessions({ backend }),
  };
}

/**
 * The sessions of a remote `aimax serve` (its REST API, through
 * {@linkcode RemoteBackend}).
 *
 * @example
 * ```ts ignore
 * import { remoteSource } from "./source.ts";
 * const source = remoteSource({ url: "http://10.0.0.2:7878", token: "…" });
 * ```
 * @param server the server and its token
 */
export function remoteSource(server: RemoteServer): SessionSource {
  return {
    backends: SUPPORTED_BACKENDS,
    backend: (name) => new RemoteBackend(server, name),
    backendOf: (sessionId, backend) =>
      remoteBackendOf(server, { sessionId, backend }),
    list: (backend) => {
      if (backend) get(backend); // an unknown name is bad input
      return listRemoteSessions(server, { backend });
    },
  };
}
