/**
 * A temporary directory for one test, removed after it whatever happens.
 *
 * @module
 */

/**
 * Runs `fn` with a new temporary directory (its real path, so that paths a
 * watcher reports compare equal), then removes the directory, after giving
 * its owner the rights back (a test may have taken them away).
 *
 * @param prefix the directory name's prefix (`aimax-…`)
 * @param fn the test body
 */
export async function withTempDir(
  prefix: string,
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix }));
  try {
    await fn(dir);
  } finally {
    await Deno.chmod(dir, 0o700).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}
