import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The test run shares 2 cores with the local servers (Kubernetes, Prometheus, Thanos...): give
// rendering and the async queries room instead of failing on a slow moment.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });

// jsdom has no layout and no ResizeObserver; recharts' ResponsiveContainer needs the constructor
// (the charts then render at zero size, so tests assert on their accessible summaries).
if (!('ResizeObserver' in globalThis)) {
  (globalThis as any).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
