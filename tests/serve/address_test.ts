/**
 * Where `aimax serve` listens unless told otherwise (`lib/serve/address.ts`):
 * loopback, and the server uses it.
 */
import assert from "node:assert/strict";
import { DEFAULT_HOST, DEFAULT_PORT } from "../../lib/serve/address.ts";
import { serve } from "../../lib/serve/server.ts";
import { withTempDir } from "../support/temp_dir.ts";

Deno.test("serve address: loopback by default, and a server given no address binds it", async () => {
  assert.equal(DEFAULT_HOST, "127.0.0.1");
  assert.ok(Number.isInteger(DEFAULT_PORT) && DEFAULT_PORT > 1024);
  await withTempDir("aimax-serve-address-", async (dataDir) => {
    const server = await serve({ port: 0, token: "t0ken", dataDir });
    try {
      assert.equal(server.hostname, DEFAULT_HOST);
      assert.ok(server.loopback);
    } finally {
      await server.close();
    }
  });
});
