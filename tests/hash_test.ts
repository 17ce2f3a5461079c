import assert from "node:assert/strict";
import { hexDigest } from "../lib/hash.ts";

Deno.test("hash: the first bytes of SHA-256 in hex", async () => {
  assert.equal(await hexDigest("abc", { bytes: 4 }), "ba7816bf");
  assert.equal((await hexDigest("abc", { bytes: 16 })).length, 32);
  assert.notEqual(
    await hexDigest("/a", { bytes: 8 }),
    await hexDigest("/b", { bytes: 8 }),
  );
});
