import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The test run shares 2 cores with the local servers (Kubernetes, Prometheus, Thanos...): give
// rendering and the async queries room instead of failing on a slow moment.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });
