import { startTestBackend } from '@backstage/backend-test-utils';
import {
  InspectionCheck,
  inspectionsChecksExtensionPoint,
} from '@kubemate/plugin-inspections-node';
import { inspectionsModuleGpu } from './module';

describe('inspectionsModuleGpu', () => {
  it('adds application.gpu-idle to the inspections', async () => {
    const added: InspectionCheck[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          inspectionsChecksExtensionPoint,
          {
            addChecks: (...checks: InspectionCheck[]) => added.push(...checks),
          },
        ],
      ],
      features: [inspectionsModuleGpu],
    });
    expect(added.map(c => [c.id, c.category, c.scope, c.dataSource])).toEqual([
      ['application.gpu-idle', 'application', 'cluster', 'prometheus'],
    ]);
  });
});
