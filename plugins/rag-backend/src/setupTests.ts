/*
 * pdf.js (inside pdf-parse) loads its worker with a dynamic `import()`, which jest's CommonJS
 * module system cannot run without --experimental-vm-modules. pdf.js first looks for an already
 * loaded worker on `globalThis.pdfjsWorker`: give it the same worker module, which jest transforms
 * to CommonJS. Only the test environment needs this; the backend loads the worker the normal way.
 */
import { dirname, join } from 'node:path';

(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = require(join(
  dirname(require.resolve('pdf-parse')),
  'pdf.worker.mjs',
));
