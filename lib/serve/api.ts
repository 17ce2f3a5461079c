/**
 * The router of `aimax serve`'s API: finds the session a path names and
 * the row of the route table (`routes.ts`) that answers the request; a
 * path no row has is a 404, a method its rows lack a 405.
 *
 * @module
 */
import type { SessionBackend } from "../backend/contract.ts";
import { InputError } from "../errors.ts";
import { validateSessionId } from "../inputs.ts";
import { get } from "../registry.ts";
import { backendOf } from "../sessions.ts";
import { HttpError } from "./http.ts";
import {
  type ApiContext,
  routesAt,
  type SessionRef,
  sessionSegment,
} from "./routes.ts";

/**
 * The session `id` names (`?backend=` when given): a bad id is a 400, an
 * unknown backend a 400, an unknown session a 404.
 */
async function sessionNamed(id: string, url: URL): Promise<SessionRef> {
  const sessionId = validateSessionId(id);
  const backendName = url.searchParams.get("backend") ?? undefined;
  if (backendName !== undefined) get(backendName);
  const backend: SessionBackend = await backendOf(sessionId, {
    backend: backendName,
  });
  return { backend, sessionId };
}

/**
 * Answers one `/api/…` request (already authorised and guarded).
 *
 * @example
 * ```ts ignore
 * import { handleApi } from "./api.ts";
 * import { EventHub } from "./hub.ts";
 * const hub = new EventHub();
 * Deno.serve((request) => handleApi(request, { hub }));
 * ```
 * @param request the request
 * @param ctx what the routes share
 * @throws whatever the backend throws (mapped to JSON by the server)
 */
export async function handleApi(
  request: Request,
  ctx: ApiContext,
): Promise<Response> {
  const url = new URL(request.url);
  const parts = url.pathname.split("/").slice(2).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new InputError("bad percent-encoding in the path");
    }
  });
  const method = request.method;
  const at = sessionSegment(parts);
  const session = at === undefined
    ? undefined
    : await sessionNamed(parts[at], url);
  const routes = routesAt(parts);
  if (routes.length === 0) {
    throw new HttpError(404, "not_found", `no route ${url.pathname}`);
  }
  const route = routes.find((r) => r.method === method);
  if (route === undefined) {
    throw new HttpError(
      405,
      "method_not_allowed",
      `${method} is not allowed on ${url.pathname}`,
    );
  }
  return await route.handle({ request, url, ctx, session });
}
