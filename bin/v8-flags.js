// V8 flags for a run of the bin, set before the bundle is compiled.
//
// A lint run lasts a fraction of a second, and V8's optimizing compiler (TurboFan) then costs
// more than it saves: functions that run a few thousand times (the YAML position reader, the
// masking walks, the per-object loops of the rules) are compiled on a background thread, which
// on a 2-core machine competes with the run itself and with the garbage collector's helpers,
// and is often thrown away or finished too late to pay. Four times V8's default interrupt
// budget (the bytecode a function runs before it is considered for optimization) keeps
// TurboFan for the code that is really hot (a 20,000-file repository's parser and model
// loops) and spares the rest: on this project's 2,000-file bench, a third less CPU and
// 10-25% less wall time, and the 20,000-file run a little faster too (README, "Performance").
// The language server is long-running: TurboFan's work pays there, so it keeps V8's defaults.
'use strict';

/** V8's default `--interrupt-budget` (V8 11-12, Node 20-22). */
const DEFAULT_INTERRUPT_BUDGET = 67584;

/** The V8 flags for a run with these command-line arguments (the bin's, without node and the script). */
function v8Flags(args) {
  if (args[0] === 'lsp') return [];
  return [`--interrupt-budget=${4 * DEFAULT_INTERRUPT_BUDGET}`];
}

module.exports = { v8Flags };
