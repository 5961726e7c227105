// bench/memory.mjs runs the stock backend like Kubemate's (packages/backend/dist/start-in-workspace.cjs,
// also the production image's command): the Backstage CLI's TypeScript hook, then the transpiled backend.
require('@backstage/cli/config/nodeTransform.cjs');
require('./dist/index.cjs.js');
