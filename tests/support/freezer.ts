/**
 * Freezing a process tree for a while with the cgroup v1 freezer: the way
 * to make a real TUI read its keys late, as on a loaded machine. Signals do
 * not do it: tmux sends SIGCONT to a pane process that stopped, and Node
 * ignores SIGTTIN. Needs a writable `/sys/fs/cgroup/freezer` (root); tests
 * that use it are ignored elsewhere.
 *
 * @module
 */

const FREEZER = "/sys/fs/cgroup/freezer";

/** Whether this machine lets a test freeze processes. */
export function freezerAvailable(): boolean {
  const probe = `${FREEZER}/aimax-probe-${crypto.randomUUID()}`;
  try {
    Deno.mkdirSync(probe);
    Deno.removeSync(probe);
    return true;
  } catch {
    return false;
  }
}

/** `pid` and all its descendants now (from `/proc/…/children`). */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    let tasks: Deno.DirEntry[];
    try {
      tasks = [...Deno.readDirSync(`/proc/${pids[i]}/task`)];
    } catch {
      continue; // gone
    }
    for (const task of tasks) {
      try {
        const children = Deno.readTextFileSync(
          `/proc/${pids[i]}/task/${task.name}/children`,
        );
        pids.push(...children.split(" ").filter(Boolean).map(Number));
      } catch { /* gone */ }
    }
  }
  return pids;
}

/** A frozen process tree; thawing it (or disposing) lets it run again. */
export interface Frozen extends Disposable {
  /** The frozen pids. */
  readonly pids: readonly number[];
  /** Lets them run again and removes the cgroup (once). */
  thaw(): void;
}

/**
 * Freezes `pid` and its descendants until {@linkcode Frozen.thaw}.
 *
 * @param pid the root of the tree (a pane's process)
 */
export function freezeTree(pid: number): Frozen {
  const group = `${FREEZER}/aimax-test-${crypto.randomUUID()}`;
  Deno.mkdirSync(group);
  const pids = processTree(pid);
  for (const p of pids) {
    try {
      Deno.writeTextFileSync(`${group}/cgroup.procs`, String(p));
    } catch { /* gone */ }
  }
  Deno.writeTextFileSync(`${group}/freezer.state`, "FROZEN");
  let thawed = false;
  const thaw = () => {
    if (thawed) return;
    thawed = true;
    // Moved out one by one, each thaws as it joins the (thawed) root; a
    // process that forks once running could leave a child in the group,
    // so the group is emptied before it is thawed and removed.
    for (let round = 0; round < 10; round++) {
      const left = Deno.readTextFileSync(`${group}/cgroup.procs`)
        .split("\n").filter(Boolean);
      if (left.length === 0) break;
      for (const p of left) {
        try {
          Deno.writeTextFileSync(`${FREEZER}/cgroup.procs`, p);
        } catch { /* gone */ }
      }
    }
    Deno.writeTextFileSync(`${group}/freezer.state`, "THAWED");
    Deno.removeSync(group);
  };
  return { pids, thaw, [Symbol.dispose]: thaw };
}
