/**
 * The server's front door (`lib/serve/front.ts`), on the real server:
 * header time and size limits, malformed `Content-Length`, the connection
 * cap, and requests followed through a kept-alive connection.
 */
import assert from "node:assert/strict";
import { framingAfter, Refusal } from "../../lib/serve/front.ts";
import { serve, type ServeHandle } from "../../lib/serve/server.ts";

const TOKEN = "front-test-token-0123456789abcdef";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function withServer(
  limits: {
    headerTimeoutMs?: number;
    maxHeaderBytes?: number;
    maxConnections?: number;
  },
  fn: (server: ServeHandle) => Promise<void>,
): Promise<void> {
  const dataDir = await Deno.makeTempDir({ prefix: "aimax-front-" });
  const server = await serve({ port: 0, token: TOKEN, dataDir, limits });
  try {
    await fn(server);
  } finally {
    await server.close();
    const left = [...Deno.readDirSync(dataDir)].map((e) => e.name);
    assert.ok(
      !left.some((name) => name.endsWith(".sock")),
      `the private socket is removed on close (left: ${left.join(", ")})`,
    );
    await Deno.remove(dataDir, { recursive: true });
  }
}

/** Reads until the server closes the connection (bounded by `ms`). */
async function readToClose(conn: Deno.Conn, ms: number): Promise<string> {
  const chunks: string[] = [];
  const buffer = new Uint8Array(16 * 1024);
  const deadline = setTimeout(() => conn.close(), ms);
  try {
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(decoder.decode(buffer.subarray(0, n)));
    }
  } catch {
    chunks.push("<closed by the test's deadline>");
  } finally {
    clearTimeout(deadline);
  }
  return chunks.join("");
}

function bodyOf(answer: string): { error: { code: string; message: string } } {
  return JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
}

Deno.test("front: a request whose headers never end is answered 408 (JSON) and closed once the header time is up, while other clients are served", async () => {
  await withServer({ headerTimeoutMs: 600 }, async (server) => {
    const slow = await Deno.connect({ port: server.port });
    await slow.write(
      encoder.encode(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`),
    );
    const started = performance.now();
    const answer = readToClose(slow, 10_000);
    const page = await fetch(server.url);
    assert.equal(page.status, 200, "another client is served meanwhile");
    await page.body?.cancel();
    const text = await answer;
    const took = performance.now() - started;
    assert.match(text, /^HTTP\/1\.1 408 /, text);
    assert.equal(bodyOf(text).error.code, "request_timeout");
    assert.ok(took >= 500 && took < 5_000, `closed after ${took} ms`);
  });
});

Deno.test("front: a connection that sends nothing at all is closed once the header time is up", async () => {
  await withServer({ headerTimeoutMs: 400 }, async (server) => {
    const silent = await Deno.connect({ port: server.port });
    const text = await readToClose(silent, 10_000);
    assert.match(text, /^HTTP\/1\.1 408 /, text);
  });
});

Deno.test("front: Content-Length -5 is a 400 whose body is JSON, and the server never sees the request", async () => {
  await withServer({}, async (server) => {
    for (const length of ["-5", "5, 6", "1e3", "abc"]) {
      const conn = await Deno.connect({ port: server.port });
      await conn.write(encoder.encode(
        `POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
          `Authorization: Bearer ${TOKEN}\r\nContent-Length: ${length}\r\n\r\n{}`,
      ));
      const text = await readToClose(conn, 10_000);
      assert.match(text, /^HTTP\/1\.1 400 /, `${length}: ${text}`);
      const body = bodyOf(text);
      assert.equal(body.error.code, "invalid_input");
      assert.match(body.error.message, /Content-Length/);
    }
  });
});

Deno.test("front: headers larger than the cap are a 431 (JSON)", async () => {
  await withServer({ maxHeaderBytes: 2_048 }, async (server) => {
    const conn = await Deno.connect({ port: server.port });
    await conn.write(encoder.encode(
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Pad: ${
        "a".repeat(4_000)
      }\r\n\r\n`,
    ));
    const text = await readToClose(conn, 10_000);
    assert.match(text, /^HTTP\/1\.1 431 /, text);
    assert.equal(bodyOf(text).error.code, "headers_too_large");
  });
});

Deno.test("front: on a kept-alive connection each request is followed (body by Content-Length), and a later request's slow headers are timed too", async () => {
  await withServer({ headerTimeoutMs: 500 }, async (server) => {
    const conn = await Deno.connect({ port: server.port });
    const host = `127.0.0.1:${server.port}`;
    // Two pipelined requests, the first with a body holding "\r\n\r\n".
    const body = '{"a":"\r\n\r\n"}';
    await conn.write(encoder.encode(
      `POST /api/nothing HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${
          encoder.encode(body).length
        }\r\n\r\n${body}` +
        `GET /app.css HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
        `GET / HTTP/1.1\r\nHost: ${host}\r\n`,
    ));
    const started = performance.now();
    const text = await readToClose(conn, 10_000);
    const took = performance.now() - started;
    const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d+)/gm)].map((m) => m[1]);
    assert.deepEqual(statuses, ["404", "200"], text.slice(0, 400));
    assert.ok(took >= 400 && took < 5_000, `closed after ${took} ms`);
  });
});

Deno.test("front: a connection beyond the cap is closed at once; one under it is served", async () => {
  await withServer({ maxConnections: 2 }, async (server) => {
    const held = [
      await Deno.connect({ port: server.port }),
      await Deno.connect({ port: server.port }),
    ];
    try {
      // Both accepted before the third comes.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const third = await Deno.connect({ port: server.port });
      const text = await readToClose(third, 5_000);
      assert.equal(text, "", "closed without an answer");
    } finally {
      for (const conn of held) conn.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    await page.body?.cancel();
  });
});

Deno.test("front framing: Content-Length is followed; chunked bodies and upgrades are relayed as they come; a malformed length is refused", () => {
  assert.deepEqual(
    framingAfter("POST / HTTP/1.1\r\nContent-Length: 12"),
    { kind: "body", left: 12 },
  );
  assert.deepEqual(
    framingAfter("POST / HTTP/1.1\r\ncontent-length: 3, 3"),
    { kind: "body", left: 3 },
  );
  assert.equal(framingAfter("GET / HTTP/1.1\r\nHost: x").kind, "head");
  assert.equal(
    framingAfter("GET / HTTP/1.1\r\nContent-Length: 0").kind,
    "head",
  );
  assert.equal(
    framingAfter("POST / HTTP/1.1\r\nTransfer-Encoding: chunked").kind,
    "opaque",
  );
  assert.equal(
    framingAfter(
      "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade",
    )
      .kind,
    "opaque",
  );
  for (
    const head of [
      "POST / HTTP/1.1\r\nContent-Length: -5",
      "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2",
      "POST / HTTP/1.1\r\nContent-Length: 9999999999999999",
      "POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked",
    ]
  ) {
    assert.throws(() => framingAfter(head), Refusal, head);
  }
});
