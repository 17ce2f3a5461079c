/**
 * `RemoteBackend` implements the whole `SessionBackend`: the reference's
 * `isAlive`, `isWorking`, `isJobGoalAccomplished` and `isFailed` read the
 * session's status (one GET each), and the local-only operations refuse.
 */
import assert from "node:assert/strict";
import { AimaxError } from "../../lib/errors.ts";
import { RemoteBackend } from "../../lib/remote/backend.ts";

Deno.test("remote backend: isAlive, isWorking, isJobGoalAccomplished and isFailed are the session's status fields, from GET /api/sessions/{id}", async () => {
  const asked: string[] = [];
  const status = {
    sessionId: "demo",
    backend: "tmux-codex",
    state: "working",
    stateReason: "a turn runs",
    alive: true,
    working: true,
    jobGoalAccomplished: false,
    failed: true,
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      const url = new URL(request.url);
      asked.push(`${request.method} ${url.pathname}${url.search}`);
      return Response.json(status);
    },
  );
  try {
    const remote = new RemoteBackend({
      url: `http://127.0.0.1:${server.addr.port}`,
      token: "t",
    }, "tmux-codex");
    assert.equal(await remote.isAlive("demo"), true);
    assert.equal(await remote.isWorking("demo"), true);
    assert.equal(await remote.isJobGoalAccomplished("demo"), false);
    assert.equal(await remote.isFailed("demo"), true);
    assert.deepEqual(
      asked,
      Array(4).fill("GET /api/sessions/demo?backend=tmux-codex"),
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("remote backend: attachCommand and transcriptOf refuse as bad usage (they need the server's host), asking nothing", async () => {
  const remote = new RemoteBackend(
    { url: "http://127.0.0.1:9", token: "t" },
    "tmux-codex",
  );
  await assert.rejects(
    () => remote.attachCommand("demo"),
    (error) =>
      error instanceof AimaxError && error.code === "usage" &&
      /server's host/.test(error.message),
  );
  await assert.rejects(
    () => remote.transcriptOf("demo"),
    (error) =>
      error instanceof AimaxError && error.code === "usage" &&
      /server's host/.test(error.message),
  );
});
