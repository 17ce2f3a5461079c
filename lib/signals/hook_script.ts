/**
 * The hook program the agents run for their turn signals: a small POSIX
 * `sh` script (no Deno start-up per event) installed in the data dir. It
 * appends one JSON line `{"at","event","payload"}` per call to a session's
 * events file, whole: the line is built in a temp file and appended in one
 * step under `flock` (where it exists), so concurrent hooks never
 * interleave, whatever the payload's size. It always exits 0 and prints
 * nothing, so a broken disk or a missing tool never breaks the agent's turn.
 *
 * Usage: `aimax-hook EVENTS_FILE EVENT` with the payload on stdin (an
 * agent's hooks), or `aimax-hook EVENTS_FILE EVENT [CMD…] PAYLOAD` with the
 * payload as the last argument (an agent's notify program); `CMD…`, when given, is the
 * user's own notify program, run after with the payload as its last
 * argument so it keeps working.
 *
 * @module
 */
import { join } from "../path.ts";
import { PRIVATE_DIR_MODE } from "../private.ts";

/** The script's text (its behaviour is tested in `tests/signals/`). */
export const HOOK_SCRIPT = `#!/bin/sh
# aimax hook: appends {"at":MS,"event":EVENT,"payload":JSON} to EVENTS_FILE.
# Prompts and answers: the files it makes are the user's alone (the user's
# own notify program, run at the end, gets the umask it was given).
u=$(umask)
umask 077
f=$1 e=$2
[ -n "$f" ] && [ -n "$e" ] || exit 0
shift 2
t=$(mktemp "$f.XXXXXX" 2>/dev/null) || exit 0
if [ $# -ge 1 ]; then
  for p in "$@"; do :; done
  printf '%s' "$p" > "$t.p" 2>/dev/null
else
  cat > "$t.p" 2>/dev/null
fi
ms=$(date +%s%3N 2>/dev/null)
case $ms in ''|*[!0-9]*) ms=$(date +%s)000 ;; esac
{
  printf '{"at":%s,"event":"%s","payload":' "$ms" "$e"
  if [ -s "$t.p" ]; then tr -d '\\n\\r' < "$t.p"; else printf 'null'; fi
  printf '}\\n'
} > "$t" 2>/dev/null
if command -v flock >/dev/null 2>&1; then
  flock "$f.lock" sh -c 'cat "$1" >> "$2"' aimax-hook "$t" "$f" 2>/dev/null
else
  cat "$t" >> "$f" 2>/dev/null
fi
rm -f "$t" "$t.p"
if [ $# -ge 2 ]; then
  n=$#
  i=1
  for a in "$@"; do
    [ "$i" -eq "$n" ] && break
    set -- "$@" "$a"
    i=$((i + 1))
  done
  shift "$n"
  set -- "$@" "$p"
  umask "$u"
  "$@" >/dev/null 2>&1 </dev/null &
fi
exit 0
`;

/**
 * Writes the hook script into the data dir (mode 0700) unless it is there
 * with the same text, and returns its path.
 *
 * @example
 * ```ts
 * import { installHookScript } from "./hook_script.ts";
 * const path = await installHookScript(await Deno.makeTempDir());
 * ```
 * @param dataDir the data dir
 */
export async function installHookScript(dataDir: string): Promise<string> {
  const dir = join(dataDir, "bin");
  const path = join(dir, "aimax-hook");
  try {
    if (await Deno.readTextFile(path) === HOOK_SCRIPT) return path;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const tmp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, HOOK_SCRIPT, { mode: 0o700 });
  await Deno.chmod(tmp, 0o700);
  await Deno.rename(tmp, path);
  return path;
}

/**
 * Quotes `word` for a POSIX shell (single quotes; `'` as `'\''`), for the
 * hook commands an agent runs through a shell.
 *
 * @param word any text
 */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
