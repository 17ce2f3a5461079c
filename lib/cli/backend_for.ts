/**
 * The backend a command runs against: named by `-b`, else found by the
 * session it names; on a server when one is set. Kept apart from
 * `shared.ts` because it loads every operation of the tmux backend, which
 * `list` and `--version` never need.
 *
 * @module
 */
import type { SessionBackend } from "../backend/contract.ts";
import { UsageError } from "../errors.ts";
import { validateSessionId } from "../inputs.ts";
import { get } from "../registry.ts";
import { ownerOf } from "../sessions.ts";
import { remoteOf } from "./shared.ts";

/**
 * The backend `-b` names, else the one backend that owns `--session`;
 * on the server when one is set (see {@linkcode remoteOf}). Either way the
 * command sees only the {@linkcode SessionBackend} interface.
 *
 * @example
 * ```ts ignore
 * import { backendFor } from "./backend_for.ts";
 * const backend = await backendFor({ session: "demo" });
 * ```
 * @param values the parsed `backend`, `session` and `server` options
 */
export async function backendFor(
  values: {
    readonly backend?: string;
    readonly session?: string | readonly string[];
    readonly server?: string;
    readonly "server-timeout"?: string;
  },
): Promise<SessionBackend> {
  const server = remoteOf(values);
  if (server) {
    // The remote client is loaded in remote mode only.
    const { RemoteBackend, remoteBackendOf } = await import(
      "../remote/backend.ts"
    );
    if (values.backend) return new RemoteBackend(server, values.backend);
    return await remoteBackendOf(server, {
      sessionId: Array.isArray(values.session)
        ? values.session[0]
        : values.session as string | undefined,
    });
  }
  if (values.backend) return get(values.backend);
  // A malformed id is bad input (exit 2), not an unknown session (exit 3).
  const sessionId = validateSessionId(
    Array.isArray(values.session) ? values.session[0] : values.session,
  );
  return get(
    await ownerOf(sessionId, {
      ambiguous: (owners) =>
        new UsageError(
          `session "${sessionId}" exists in ${owners.join(" and ")}: pass -b`,
        ),
    }),
  );
}
