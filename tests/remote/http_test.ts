import assert from "node:assert/strict";
import { call, errorFromResponse } from "../../lib/remote/http.ts";

Deno.test("remote http: JSON errors become the local error classes", () => {
  const dialog = errorFromResponse(423, {
    error: {
      code: "awaiting_input",
      message: "waits",
      dialog: "Allow?",
      screen: "Allow? 1. Yes",
    },
  });
  assert.equal(dialog.code, "awaiting_input");
  assert.equal((dialog as unknown as { dialog: string }).dialog, "Allow?");
  assert.equal(
    (dialog as unknown as { screen: string }).screen,
    "Allow? 1. Yes",
  );
  assert.equal(
    errorFromResponse(400, { error: { code: "invalid_input", message: "x" } })
      .name,
    "InputError",
  );
  assert.equal(
    errorFromResponse(503, {
      error: { code: "preflight_failed", message: "x" },
    })
      .name,
    "PreflightError",
  );
  assert.equal(errorFromResponse(500, "not json").code, "error");
});

Deno.test("remote http: a call sends the token and the query, reads JSON, and maps an error answer and an unreachable server", async () => {
  const seen: { auth: string | null; url: string }[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => {
      seen.push({ auth: req.headers.get("authorization"), url: req.url });
      const url = new URL(req.url);
      if (url.pathname === "/api/ok") return Response.json({ n: 1 });
      return Response.json(
        { error: { code: "session_not_found", message: "no session" } },
        { status: 404 },
      );
    },
  );
  const base = { url: `http://127.0.0.1:${server.addr.port}`, token: "tok" };
  try {
    assert.deepEqual(
      await call(base, "/api/ok", { query: { a: "1", b: undefined } }),
      { n: 1 },
    );
    assert.equal(seen[0].auth, "Bearer tok");
    assert.equal(new URL(seen[0].url).search, "?a=1");
    await assert.rejects(
      () => call(base, "/api/missing"),
      (e: Error & { code?: string }) =>
        e.code === "session_not_found" && e.message === "no session",
    );
  } finally {
    await server.shutdown();
  }
  await assert.rejects(
    () => call(base, "/api/ok"),
    (e: Error & { code?: string }) =>
      e.code === "server_unreachable" && e.message.includes(base.url),
  );
});
