/*
 * Preloaded (node --require) into both backends by bench/memory.mjs, with the same flags on both
 * sides. On SIGUSR2 it runs a full GC (when node runs with --expose-gc) and writes to
 * $BENCH_PROBE_FILE: process.memoryUsage(), V8's heap statistics and spaces, and the modules
 * loaded through require() grouped by package (count, source bytes, the packages that required it), so the bench can read a
 * backend's V8 heap from outside and attribute loaded code to packages.
 * With $BENCH_PROBE_SNAPSHOT_DIR set, it also writes a heap snapshot there (v8.writeHeapSnapshot).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

const file = process.env.BENCH_PROBE_FILE;

/** "…/node_modules/@scope/name/…" -> "@scope/name"; workspace sources -> their folder. */
function packageOf(filename) {
  const i = filename.lastIndexOf('/node_modules/');
  if (i >= 0) {
    const parts = filename.slice(i + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const m = filename.match(/\/(plugins|packages|bench)\/([^/]+)\//);
  return m ? `${m[1]}/${m[2]}` : '(other)';
}

function modulesByPackage() {
  const byPkg = {};
  for (const [filename, mod] of Object.entries(require.cache)) {
    const pkg = packageOf(filename);
    const entry = (byPkg[pkg] ??= { modules: 0, bytes: 0, requiredBy: [] });
    entry.modules += 1;
    // the packages that required this one (module.parent: the first requirer of each module)
    const parent = mod?.parent?.filename
      ? packageOf(mod.parent.filename)
      : undefined;
    if (parent && parent !== pkg && !entry.requiredBy.includes(parent))
      entry.requiredBy.push(parent);
    try {
      entry.bytes += fs.statSync(filename).size;
    } catch {
      /* virtual or removed */
    }
  }
  return byPkg;
}

if (file) {
  process.on('SIGUSR2', () => {
    if (typeof global.gc === 'function') global.gc();
    const report = {
      at: new Date().toISOString(),
      memoryUsage: process.memoryUsage(),
      heap: v8.getHeapStatistics(),
      spaces: v8.getHeapSpaceStatistics(),
      modules: modulesByPackage(),
    };
    if (process.env.BENCH_PROBE_SNAPSHOT_DIR)
      report.snapshot = v8.writeHeapSnapshot(
        path.join(
          process.env.BENCH_PROBE_SNAPSHOT_DIR,
          `backend-${process.pid}-${Date.now()}.heapsnapshot`,
        ),
      );
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(report));
    fs.renameSync(`${file}.tmp`, file);
  });
}
