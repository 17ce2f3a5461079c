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

Deno.test("remote http: an error answer's screen is kept (409 no_input_box, 500 agent_screen), as a local error carries it", () => {
  const box = errorFromResponse(409, {
    error: {
      code: "no_input_box",
      message: "Claude Code shows no input box",
      screen: "! ls\nshell mode",
    },
  });
  assert.equal(box.name, "NoInputBoxError");
  assert.equal(box.code, "no_input_box");
  assert.equal(
    (box as unknown as { screen: string }).screen,
    "! ls\nshell mode",
  );
  assert.equal(box.message.split("\n")[0], "Claude Code shows no input box");
  const start = errorFromResponse(500, {
    error: { code: "agent_screen", message: "did not start", screen: "S" },
  });
  assert.equal(start.name, "AgentScreenError");
  assert.equal(start.code, "agent_screen");
  assert.equal((start as unknown as { screen: string }).screen, "S");
});

Deno.test("remote http: an error answer of the wrong shape is still an error of its status, never one whose use throws a TypeError", () => {
  for (
    const body of [
      {
        error: { code: "awaiting_input", message: "m", dialog: 5, screen: {} },
      },
      { error: { code: 5, message: ["a"], screen: 7 } },
      { error: "plain" },
      { error: null },
      [],
    ]
  ) {
    const error = errorFromResponse(423, body);
    const label = JSON.stringify(body);
    assert.equal(typeof error.code, "string", label);
    assert.equal(typeof error.message, "string", label);
    for (const field of ["dialog", "screen"]) {
      const value = (error as unknown as Record<string, unknown>)[field];
      assert.ok(value === undefined || typeof value === "string", label);
    }
  }
  const dialog = errorFromResponse(423, {
    error: { code: "awaiting_input", message: "m", dialog: 5 },
  });
  assert.equal(dialog.name, "AwaitingInputError");
  assert.equal(
    errorFromResponse(404, { error: { code: 5, message: ["a"] } }).message,
    "the server answered HTTP 404",
  );
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

/** A TCP server that accepts and then, as `mode` says, never answers or sends headers and stalls. */
function stallingServer(mode: "silent" | "headers"): {
  url: string;
  close: () => void;
} {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      if (mode === "headers") {
        // After the request, as a server does.
        await conn.read(new Uint8Array(64 * 1024)).catch(() => null);
        await conn.write(
          new TextEncoder().encode(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n[",
          ),
        ).catch(() => {});
      }
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close: () => {
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      listener.close();
    },
  };
}

Deno.test("remote http: a server that accepts and never answers fails the call after the timeout (server_timeout)", async () => {
  const stalled = stallingServer("silent");
  try {
    const started = Date.now();
    await assert.rejects(
      () => call({ url: stalled.url, token: "t", timeoutMs: 300 }, "/api/x"),
      (e: Error & { code?: string }) =>
        e.code === "server_timeout" &&
        /did not answer within 0.3 s/.test(e.message),
    );
    assert.ok(Date.now() - started < 3000);
  } finally {
    stalled.close();
  }
});

Deno.test("remote http: a server that sends headers and then stalls fails the call once its answer is silent for the timeout", async () => {
  const stalled = stallingServer("headers");
  try {
    await assert.rejects(
      () => call({ url: stalled.url, token: "t", timeoutMs: 300 }, "/api/x"),
      (e: Error & { code?: string }) =>
        e.code === "server_timeout" && /fell silent/.test(e.message),
    );
  } finally {
    stalled.close();
  }
});

Deno.test("remote http: a request that waits by design outlives the timeout while the server answers checks, and ends when it stops answering them", async () => {
  let checks = 0;
  let answerChecks = true;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/api/alive") {
        checks++;
        if (!answerChecks) await new Promise((r) => setTimeout(r, 1000));
        return Response.json({});
      }
      await new Promise((r) =>
        setTimeout(r, path === "/api/slow" ? 900 : 2000)
      );
      return Response.json({ done: true });
    },
  );
  const base = {
    url: `http://127.0.0.1:${server.addr.port}`,
    token: "t",
    timeoutMs: 250,
  };
  try {
    assert.deepEqual(
      await call(base, "/api/slow", {
        answerWithinMs: 5000,
        alivePath: "/api/alive",
      }),
      { done: true },
    );
    assert.ok(checks >= 2, `checks: ${checks}`);
    answerChecks = false;
    const started = Date.now();
    await assert.rejects(
      () =>
        call(base, "/api/stalls", {
          answerWithinMs: Infinity,
          alivePath: "/api/alive",
        }),
      (e: Error & { code?: string }) =>
        e.code === "server_timeout" && /stopped answering/.test(e.message),
    );
    assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
    // A deadline of its own (a wait's --timeout plus its margin).
    await assert.rejects(
      () => call(base, "/api/stalls", { answerWithinMs: 400 }),
      (e: Error & { code?: string }) =>
        e.code === "server_timeout" && /within 0.4 s/.test(e.message),
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("remote http: an answer larger than the cap is a clear error, not read to its end", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => Response.json({ big: "x".repeat(200_000) }),
  );
  try {
    await assert.rejects(
      () =>
        call({ url: `http://127.0.0.1:${server.addr.port}`, token: "t" }, "/", {
          maxBytes: 64 * 1024,
        }),
      (e: Error & { code?: string }) =>
        e.code === "response_too_large" && /more than/.test(e.message),
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("remote http: a check still under way when the answer comes does not cut the answer off", async () => {
  const encoder = new TextEncoder();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (req) => {
      if (new URL(req.url).pathname === "/api/alive") {
        await new Promise((r) => setTimeout(r, 250));
        return Response.json({});
      }
      // Headers while a check is under way (checks start every 300 ms),
      // the body a little later.
      await new Promise((r) => setTimeout(r, 650));
      const body = new ReadableStream({
        async start(controller) {
          controller.enqueue(encoder.encode('{"done":'));
          await new Promise((r) => setTimeout(r, 150));
          controller.enqueue(encoder.encode("true}"));
          controller.close();
        },
      });
      return new Response(body, {
        headers: { "content-type": "application/json" },
      });
    },
  );
  try {
    assert.deepEqual(
      await call(
        {
          url: `http://127.0.0.1:${server.addr.port}`,
          token: "t",
          timeoutMs: 300,
        },
        "/api/slow",
        { answerWithinMs: 5000, alivePath: "/api/alive" },
      ),
      { done: true },
    );
  } finally {
    await server.shutdown();
  }
});

/**
 * A TCP server that sends a JSON answer's headers and then one byte of it
 * every `everyMs`: never silent for long, never done.
 */
function tricklingServer(everyMs: number): { url: string; close: () => void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const encoder = new TextEncoder();
  (async () => {
    for await (const conn of listener) {
      conns.push(conn);
      (async () => {
        await conn.read(new Uint8Array(65_536));
        await conn.write(encoder.encode(
          "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000000\r\n\r\n[",
        ));
        for (;;) {
          await new Promise((r) => setTimeout(r, everyMs));
          await conn.write(encoder.encode(" "));
        }
      })().catch(() => {});
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    close: () => {
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      listener.close();
    },
  };
}

Deno.test("remote http: an answer that trickles in, never silent for the timeout, fails once it is slower than the floor past the timeout", async () => {
  const trickling = tricklingServer(50);
  try {
    const started = Date.now();
    await assert.rejects(
      () => call({ url: trickling.url, token: "t", timeoutMs: 400 }, "/api/x"),
      (e: Error & { code?: string }) =>
        e.code === "server_timeout" &&
        /trickled its answer: \d+ bytes in 0\.\d s/.test(e.message),
    );
    const took = Date.now() - started;
    assert.ok(took >= 400 && took < 3000, `${took} ms`);
  } finally {
    trickling.close();
  }
});

Deno.test("remote http: a large answer that keeps coming above the floor is read whole, however long it takes", async () => {
  // 1.5 MiB in 16 KiB pieces every 10 ms (about 1.6 MiB/s, far above the
  // floor) with a 300 ms timeout: the whole answer takes three times the
  // timeout. (A 50 ms timeout failed under load: a piece came 50 ms late.)
  const piece = new TextEncoder().encode(" ".repeat(16 * 1024));
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent === 0) controller.enqueue(new TextEncoder().encode("["));
          if (sent++ === 96) {
            controller.enqueue(new TextEncoder().encode("1]"));
            return controller.close();
          }
          await new Promise((r) => setTimeout(r, 10));
          controller.enqueue(piece);
        },
      });
      return new Response(body, {
        headers: { "content-type": "application/json" },
      });
    },
  );
  try {
    const started = Date.now();
    assert.deepEqual(
      await call(
        {
          url: `http://127.0.0.1:${server.addr.port}`,
          token: "t",
          timeoutMs: 300,
        },
        "/api/x",
      ),
      [1],
    );
    const took = Date.now() - started;
    assert.ok(took > 300, `read whole in ${took} ms: not past the timeout`);
  } finally {
    await server.shutdown();
  }
});
