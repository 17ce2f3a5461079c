/**
 * The route table is the one list of serve's routes: the README's REST
 * table shows its rows; the table, the remote client and the interface
 * name the same operations; the 404 and 405 answers and the paths that take
 * the token in the query follow from it; and a route's failures are
 * answered with codes its row names (each an `ErrorCode`: the type checker
 * refuses any other). Called in-process (no tmux, no agent).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { setConfig } from "../../lib/config.ts";
import { AimaxError, type ErrorCode } from "../../lib/errors.ts";
import { resetBackends } from "../../lib/registry.ts";
import { RemoteBackend } from "../../lib/remote/backend.ts";
import { handleApi } from "../../lib/serve/api.ts";
import { httpErrorOf } from "../../lib/serve/http.ts";
import { EventHub } from "../../lib/serve/hub.ts";
import {
  COMMON_ERRORS,
  LOCAL_ONLY,
  type Route,
  ROUTES,
  routesAt,
  sessionSegment,
  tokenInQuery,
} from "../../lib/serve/routes.ts";
import { StateStore } from "../../lib/state.ts";
import { methodsOf, SESSION_OPERATIONS } from "../support/operations.ts";
import { bareRecord } from "../support/records.ts";
import { withTempDir } from "../support/temp_dir.ts";
import { ROOT } from "../support/world.ts";

const METHODS = ["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD"];

/** What the server answers `request` with, thrown errors mapped as it maps them. */
async function answer(
  request: Request,
): Promise<{ status: number; code?: string; message?: string }> {
  const hub = new EventHub();
  try {
    const response = await handleApi(request, { hub });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    const report = httpErrorOf(error);
    return {
      status: report.status,
      code: report.body.error.code,
      message: report.body.error.message,
    };
  } finally {
    await hub.close();
  }
}

function key(route: Pick<Route, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}

Deno.test("routes: the README's REST table lists the table's rows, in its order", async () => {
  const readme = await Deno.readTextFile(join(ROOT, "README.md"));
  const listed = [
    ...readme.matchAll(/^\| `([A-Z]+) (\/api\/[^`]*)`/gm),
  ].map(([, method, path]) => `${method} ${path}`);
  assert.deepEqual(listed, ROUTES.map(key));
});

Deno.test("routes: the table, the remote client and SessionBackend name the same operations (each routed or local-only with a reason)", async () => {
  const routed = new Set(ROUTES.flatMap((route) => route.operations));
  const local = Object.keys(LOCAL_ONLY);
  for (const op of local) {
    assert.ok(!routed.has(op as never), `${op} is routed and local-only`);
    assert.ok(LOCAL_ONLY[op as keyof typeof LOCAL_ONLY]!.length > 20, op);
  }
  assert.deepEqual(
    [...routed, ...local].sort(),
    [...SESSION_OPERATIONS],
    "each interface operation has a route or is local-only",
  );
  assert.deepEqual(methodsOf(RemoteBackend), [...SESSION_OPERATIONS]);
  // The remote client refuses the local-only ones as bad usage (exit 2).
  const remote = new RemoteBackend(
    { url: "http://127.0.0.1:9", token: "t" },
    "tmux-codex",
  );
  const refusals = {
    attachCommand: () => remote.attachCommand("demo"),
    transcriptOf: () => remote.transcriptOf("demo"),
  };
  assert.deepEqual(Object.keys(refusals).sort(), local.sort());
  for (const call of Object.values(refusals)) {
    await assert.rejects(
      call,
      (error) => error instanceof AimaxError && error.code === "usage",
    );
  }
});

Deno.test("routes: a method a path's rows lack is a 405, a path no row has a 404, both from the table", async () => {
  const paths = [...new Set(ROUTES.map((route) => route.path))];
  for (const path of paths) {
    const pathname = path.replace("{id}", "demo");
    const allowed = ROUTES.filter((r) => r.path === path).map((r) => r.method);
    for (const method of METHODS.filter((m) => !allowed.includes(m as never))) {
      // `?backend=` names the backend: no session is looked up.
      const got = await answer(
        new Request(`http://127.0.0.1${pathname}?backend=tmux-codex`, {
          method,
        }),
      );
      assert.equal(got.status, 405, `${method} ${pathname}: ${got.message}`);
      assert.equal(got.code, "method_not_allowed");
      assert.equal(got.message, `${method} is not allowed on ${pathname}`);
    }
  }
  for (
    const pathname of [
      "/api",
      "/api/",
      "/api/nope",
      "/api/events/",
      "/api/events/x",
      "/api/sessions%2Fx",
      "/api/sessions/demo/nope",
      "/api/sessions/demo/send/",
      "/api/sessions/demo/a/b",
    ]
  ) {
    for (const method of ["GET", "POST"]) {
      const got = await answer(
        new Request(`http://127.0.0.1${pathname}?backend=tmux-codex`, {
          method,
        }),
      );
      assert.equal(got.status, 404, `${method} ${pathname}: ${got.message}`);
      assert.equal(got.code, "not_found");
      assert.equal(got.message, `no route ${pathname}`);
    }
  }
});

Deno.test("routes: a path is matched segment by segment; the session is the segment at {id}, and one trailing slash after it is the session itself", () => {
  assert.deepEqual(routesAt(["sessions"]).map(key), [
    "GET /api/sessions",
    "POST /api/sessions",
  ]);
  assert.deepEqual(routesAt(["sessions", "demo"]).map(key), [
    "GET /api/sessions/{id}",
    "DELETE /api/sessions/{id}",
  ]);
  assert.deepEqual(
    routesAt(["sessions", "demo", ""]).map(key),
    routesAt(["sessions", "demo"]).map(key),
  );
  assert.deepEqual(routesAt(["sessions", "demo", "keys"]).map(key), [
    "POST /api/sessions/{id}/keys",
  ]);
  assert.deepEqual(routesAt(["sessions/{id}"]), []);
  assert.deepEqual(routesAt(["events", ""]), []);
  assert.equal(sessionSegment(["sessions", "demo", "nope"]), 1);
  assert.equal(sessionSegment(["sessions", ""]), 1);
  assert.equal(sessionSegment(["sessions"]), undefined);
  assert.equal(sessionSegment(["events"]), undefined);
});

Deno.test("routes: the token may be in ?token= exactly on the stream rows' paths (as the regular expression before the table said)", () => {
  const before = /^\/api\/(?:events|sessions\/[^/]+\/(?:stream|ws))$/;
  for (
    const pathname of [
      "/api/events",
      "/api/events/",
      "/api//events",
      "/api/sessions",
      "/api/sessions/demo",
      "/api/sessions/demo/stream",
      "/api/sessions/demo/ws",
      "/api/sessions/d%20x/ws",
      "/api/sessions/demo/stream/",
      "/api/sessions//stream",
      "/api/sessions/demo/x/stream",
      "/api/sessions/demo/history",
      "/api/sessions/demo/w%73",
      "/api",
      "/stream",
      "/",
    ]
  ) {
    assert.equal(tokenInQuery(pathname), before.test(pathname), pathname);
  }
  assert.deepEqual(
    ROUTES.filter((r) => r.tokenInQuery).map(key),
    [
      "GET /api/sessions/{id}/stream",
      "GET /api/sessions/{id}/ws",
      "GET /api/events",
    ],
  );
});

Deno.test("routes: each route's failure is answered with a code its row (or every row) names", async () => {
  await withTempDir("aimax-routes-", async (dir) => {
    setConfig({ dataDir: join(dir, "data") });
    resetBackends();
    try {
      // A session with no window and no transcript yet.
      await new StateStore(join(dir, "data")).put(
        bareRecord("known", "tmux-codex", dir),
      );
      const url = (path: string) => `http://127.0.0.1${path}`;
      const badJson = { method: "POST", body: "{" };
      const failing: Record<string, [Request, ErrorCode][]> = {
        "GET /api/sessions": [
          [new Request(url("/api/sessions?backend=nope")), "invalid_input"],
        ],
        "POST /api/sessions": [
          [new Request(url("/api/sessions"), badJson), "bad_json"],
        ],
        "GET /api/sessions/{id}": [
          [new Request(url("/api/sessions/nobody")), "session_not_found"],
        ],
        "POST /api/sessions/{id}/send": [
          [new Request(url("/api/sessions/known/send"), badJson), "bad_json"],
        ],
        "POST /api/sessions/{id}/wait": [
          [new Request(url("/api/sessions/known/wait"), badJson), "bad_json"],
        ],
        "POST /api/sessions/{id}/keys": [
          [new Request(url("/api/sessions/known/keys"), badJson), "bad_json"],
        ],
        "POST /api/sessions/{id}/approve": [
          [
            new Request(url("/api/sessions/known/approve"), badJson),
            "bad_json",
          ],
          [
            new Request(url("/api/sessions/known/approve"), {
              method: "POST",
              body: '{"dialog":"not an id"}',
            }),
            "invalid_input",
          ],
        ],
        "POST /api/sessions/{id}/deny": [
          [new Request(url("/api/sessions/known/deny"), badJson), "bad_json"],
          [
            new Request(url("/api/sessions/known/deny"), {
              method: "POST",
              body: '{"reason":7}',
            }),
            "invalid_input",
          ],
        ],
        "GET /api/sessions/{id}/screen": [
          [
            new Request(url("/api/sessions/nobody/screen")),
            "session_not_found",
          ],
        ],
        "GET /api/sessions/{id}/history": [
          [
            new Request(url("/api/sessions/nobody/history")),
            "session_not_found",
          ],
        ],
        "DELETE /api/sessions/{id}": [
          [
            new Request(url("/api/sessions/nobody"), { method: "DELETE" }),
            "session_not_found",
          ],
          [
            new Request(url("/api/sessions/known?discard=maybe"), {
              method: "DELETE",
            }),
            "invalid_input",
          ],
        ],
        // "known" has no worktree.
        "GET /api/sessions/{id}/diff": [
          [new Request(url("/api/sessions/known/diff")), "invalid_input"],
        ],
        "POST /api/sessions/{id}/merge": [
          [new Request(url("/api/sessions/known/merge"), badJson), "bad_json"],
          [
            new Request(url("/api/sessions/known/merge"), {
              method: "POST",
              body: "{}",
            }),
            "invalid_input",
          ],
        ],
        // "known" never had a conversation to resume.
        "POST /api/sessions/{id}/revive": [
          [
            new Request(url("/api/sessions/known/revive"), {
              method: "POST",
              body: "{}",
            }),
            "invalid_input",
          ],
        ],
        "GET /api/sessions/{id}/stream": [
          [new Request(url("/api/sessions/known/stream")), "no_transcript"],
        ],
        "GET /api/sessions/{id}/ws": [
          [new Request(url("/api/sessions/known/ws")), "upgrade_required"],
        ],
        // Every session's events: it starts following, nothing fails
        // before tmux is asked.
        "GET /api/events": [],
      };
      assert.deepEqual(Object.keys(failing), ROUTES.map(key));
      for (const route of ROUTES) {
        for (const [request, code] of failing[key(route)]) {
          const got = await answer(request);
          assert.equal(got.code, code, `${key(route)}: ${got.message}`);
          assert.ok(
            route.errors.includes(code) || COMMON_ERRORS.includes(code),
            `${key(route)} answered ${code}, which its row does not name`,
          );
        }
      }
    } finally {
      setConfig({});
      resetBackends();
    }
  });
});
