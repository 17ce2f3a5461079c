import assert from "node:assert/strict";
import { remoteServer } from "../../lib/remote/server.ts";

Deno.test("remote: the server comes from --server or AIMAX_SERVER; the token is required (exit 2)", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(remoteServer({ env: env({}) }), undefined);
  assert.deepEqual(
    remoteServer({
      env: env({
        AIMAX_SERVER: "http://10.0.0.2:7878/",
        AIMAX_SERVE_TOKEN: "t",
      }),
    }),
    { url: "http://10.0.0.2:7878", token: "t" },
  );
  assert.deepEqual(
    remoteServer({
      url: "http://127.0.0.1:9",
      env: env({ AIMAX_SERVER: "http://x:1", AIMAX_SERVE_TOKEN: "t" }),
    }),
    { url: "http://127.0.0.1:9", token: "t" },
  );
  assert.throws(
    () => remoteServer({ url: "http://127.0.0.1:9", env: env({}) }),
    (e: Error & { code?: string }) =>
      e.code === "usage" && /AIMAX_SERVE_TOKEN/.test(e.message),
  );
  assert.throws(
    () =>
      remoteServer({ url: "ftp://x", env: env({ AIMAX_SERVE_TOKEN: "t" }) }),
    (e: Error & { code?: string }) => e.code === "usage",
  );
});

Deno.test("remote: the timeout comes from --server-timeout or AIMAX_SERVER_TIMEOUT, in seconds; a bad value is bad usage (exit 2)", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  const base = { AIMAX_SERVER: "http://h:1", AIMAX_SERVE_TOKEN: "t" };
  assert.equal(
    remoteServer({ env: env({ ...base, AIMAX_SERVER_TIMEOUT: "2.5" }) })
      ?.timeoutMs,
    2500,
  );
  assert.equal(
    remoteServer({
      timeout: "7",
      env: env({ ...base, AIMAX_SERVER_TIMEOUT: "2" }),
    })?.timeoutMs,
    7000,
  );
  assert.equal(remoteServer({ env: env(base) })?.timeoutMs, undefined);
  for (const bad of ["0", "-1", "soon", "1e3"]) {
    assert.throws(
      () => remoteServer({ timeout: bad, env: env(base) }),
      (e: Error & { code?: string }) =>
        e.code === "usage" && /--server-timeout/.test(e.message),
      bad,
    );
  }
});
