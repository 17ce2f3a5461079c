/**
 * Where the MCP tools find sessions: this host's backends or a remote
 * server's. Bad names and ids are refused before any tmux or network call
 * (the sessions themselves: server_test.ts, remote_e2e_test.ts).
 */
import assert from "node:assert/strict";
import { InputError } from "../../lib/errors.ts";
import { localSource, remoteSource } from "../../lib/mcp/source.ts";
import { SUPPORTED_BACKENDS } from "../../lib/registry.ts";

Deno.test("source: local and remote offer every backend and refuse an unknown one or an invented id as bad input", async () => {
  // Port 9 (discard): nothing may be asked of it.
  const remote = remoteSource({ url: "http://127.0.0.1:9", token: "t" });
  for (const source of [localSource(), remote]) {
    assert.deepEqual(source.backends, SUPPORTED_BACKENDS);
    assert.equal(source.backend("tmux-codex").name, "tmux-codex");
    assert.throws(() => source.backend("tmux-nobody"), InputError);
    await assert.rejects(() => source.backendOf("../etc"), InputError);
  }
  assert.throws(() => remote.list("tmux-nobody"), InputError);
});
