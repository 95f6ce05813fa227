// V8's flags for a run of the bin: the interrupt budget, raised once the run is known to be large, the collector's tasks and the server's inlining budget.
//
// In a run of a fraction of a second V8's optimizing compiler (TurboFan) costs more than it
// saves on a large repository: functions that run a few thousand times (the YAML position
// reader, the masking walks, the per-object loops of the rules) are compiled on a background
// thread, which on a 2-core machine competes with the run itself and with the garbage
// collector's helpers, and is often thrown away or finished too late to pay. Four times V8's
// default interrupt budget (the bytecode a function runs before it is considered for
// optimization) keeps TurboFan for the code that is really hot (a 20,000-file repository's
// parser and model loops) and spares the rest: on this project's 2,000-file bench, a third less
// CPU and 10-25% less wall time, and the 20,000-file run a little faster too (README,
// "Performance"). On a small run (the examples, a few hundred files) the raised budget costs
// 5-10 ms instead, so V8 keeps its defaults until discovery has listed LARGE_RUN_YAML_FILES
// YAML files. V8 reads the budget each time it resets a function's counter, so raising it
// mid-run takes effect at once. The language server is long-running: TurboFan's work pays
// there, so it never raises the budget.
//
// The language server's own cost is TurboFan's compiling during the first edits after a
// workspace opens (measured: ~275 optimizations in the first 20 edits of a 2,000-file
// workspace, twice the lint worker's own CPU on the other core). An eighth of V8's cumulative
// inlining budget makes each of those compilations smaller: the 20-edit median fell from
// ~62 to ~47 ms, and warm edits (100) stayed at ~37 ms.
//
// A lint run ends within a second and its heap goes with the process, so it turns off V8's
// incremental-marking task. V8 starts marking the old generation in one of two ways: at its
// soft limit (free old space at or below the young generation's size) it posts a task that
// starts marking when the event loop next turns; at the hard limit (no free old space) it
// starts marking on the allocation itself. Without the task only the hard limit starts it, so a
// run whose heap would outgrow it is still collected (20,000 files: the same peak RSS), and a
// run that ends between the two limits no longer pays a collection whose memory the exit frees
// anyway. Measured: the validate-stage workspace (examples + 200 .tf + 300 dbt models, whose
// old generation crosses the soft limit at ~12.6 MB in about half its runs) ran 29 ms less CPU
// and 77 ms less wall (paired medians of 16 alternating runs, loaded machine); the 2,000-file
// runs the same or better.
//
// For the same reason it turns off the minor-GC task: once the young generation is nearly full
// V8 posts a task that scavenges it when the event loop next turns, which in a lint run is
// most often after the output is written, on the way to exit (`--trace-gc`: a 4-6 ms
// "Scavenge ... task" as the last line of every 2,000-file run). Without the task the young
// generation is scavenged when it is full, as a run that allocates on would have it anyway.
//
// Flags are set after the bundle is compiled and V8's defaults are put back before the code
// cache is written: where V8 tags a cache with the flags in force, lint runs and the server
// share one cache.
'use strict';

/** V8's default `--interrupt-budget` (V8 11.3, Node 20). */
const DEFAULT_INTERRUPT_BUDGET = 67584;

/** V8's default `--max-inlined-bytecode-size-cumulative` (V8 11.3). */
const DEFAULT_INLINED_BYTECODE_CUMULATIVE = 920;

/** From this many listed YAML files on, a run raises the budget (200 files: no gain measured; 1,000: 38 ms less CPU). */
const LARGE_RUN_YAML_FILES = 500;

const RAISED = `--interrupt-budget=${4 * DEFAULT_INTERRUPT_BUDGET}`;
const DEFAULTS = `--interrupt-budget=${DEFAULT_INTERRUPT_BUDGET}`;
const SERVER_INLINING = `--max-inlined-bytecode-size-cumulative=${DEFAULT_INLINED_BYTECODE_CUMULATIVE / 8}`;
const DEFAULT_INLINING = `--max-inlined-bytecode-size-cumulative=${DEFAULT_INLINED_BYTECODE_CUMULATIVE}`;
const NO_GC_TASKS = '--no-incremental-marking-task --no-minor-gc-task';
const GC_TASKS = '--incremental-marking-task --minor-gc-task';

const YAML = /\.ya?ml$/i;

/**
 * The V8 versions (major.minor) whose flags and defaults this file was measured on: V8 11.3,
 * Node 20's (Node 21's 11.8 was never measured). Later V8s changed defaults this file restores
 * (V8's sources after Maglev set the interrupt budget to 132 KB), and V8 does not throw for a
 * flag it does not know: it prints "unrecognized flag" on stderr and goes on. So on any other
 * V8 the bin sets no flag and runs with V8's own defaults. The lint worker's flag is gated the
 * same way (src/lsp/lint-session.ts, `workerFlagsKnown`).
 */
const KNOWN_V8 = ['11.3'];

/** `11.3` of `11.3.244.8-node.38`. */
const majorMinor = (v8Version) => v8Version.split('.', 2).join('.');

function setFlags(flags, v8Version = process.versions.v8) {
  if (!KNOWN_V8.includes(majorMinor(v8Version))) return false;
  try {
    require('node:v8').setFlagsFromString(flags);
    return true;
  } catch {
    return false;
  }
}

/**
 * The V8 tuning of one run of the bin with these command-line arguments (the bin's, without
 * node and the script). `loaded` is called once the bundle is compiled; `onFilesListed` with
 * the paths of each root's listed files before they are read; `restore` puts V8's defaults back
 * before the bin writes its code cache, which V8 may tag with the flags in force and reject
 * under any others (the next run starts with the defaults).
 */
function v8Tuning(args, set = setFlags) {
  const languageServer = args[0] === 'lsp';
  let yamlFiles = 0;
  let raised = false;
  let inliningLowered = false;
  let gcTasksOff = false;
  return {
    loaded() {
      if (languageServer) {
        if (!inliningLowered) inliningLowered = set(SERVER_INLINING);
      } else if (!gcTasksOff) gcTasksOff = set(NO_GC_TASKS);
    },
    onFilesListed(paths) {
      if (languageServer || raised) return;
      for (let index = 0; index < paths.length; index++) if (YAML.test(paths[index])) yamlFiles++;
      if (yamlFiles >= LARGE_RUN_YAML_FILES) raised = set(RAISED);
    },
    restore() {
      if (raised && set(DEFAULTS)) raised = false;
      if (inliningLowered && set(DEFAULT_INLINING)) inliningLowered = false;
      if (gcTasksOff && set(GC_TASKS)) gcTasksOff = false;
    },
    get raised() {
      return raised;
    },
  };
}

module.exports = { v8Tuning, setFlags, KNOWN_V8, DEFAULT_INTERRUPT_BUDGET, DEFAULT_INLINED_BYTECODE_CUMULATIVE, LARGE_RUN_YAML_FILES };
