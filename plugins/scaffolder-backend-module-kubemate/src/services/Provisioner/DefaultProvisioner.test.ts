import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  provisioningNamespaceEnsurePermission,
  provisioningRepositoryCreatePermission,
} from '../../permissions';
import { DefaultProvisioner, summarize } from './DefaultProvisioner';

/*
 * The parts of DefaultProvisioner that need no apiserver (server-side apply against the real
 * apiserver is covered by tekton.integration.test.ts and the backend's scaffolder integration test).
 */
function provisionerWith(
  authorize: (ref?: string) => AuthorizeResult,
  audit = { record: jest.fn(async () => {}) },
) {
  const permissions = mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: authorize('resourceRef' in r ? r.resourceRef : undefined),
      })) as any,
  });
  const logger = mockServices.logger.mock();
  const provisioner = new DefaultProvisioner({
    config: new ConfigReader({
      kubemate: {
        provisioning: {
          environments: {
            dev: { cluster: 'dev-cluster' },
            staging: { cluster: 'gone-cluster' },
          },
        },
      },
    }),
    clusters: {
      getCluster: (name: string) => {
        if (name !== 'dev-cluster') throw new Error(`unknown cluster ${name}`);
        return { name } as any;
      },
    } as any,
    permissions,
    audit: audit as any,
    logger,
  });
  return { provisioner, permissions, logger, audit };
}

describe('DefaultProvisioner', () => {
  const allow = () => AuthorizeResult.ALLOW;

  it('maps environments to `<service>-<env>` in their clusters, once each', () => {
    const { provisioner } = provisionerWith(allow);
    expect(provisioner.targets('payments', ['dev', 'dev'])).toEqual([
      { environment: 'dev', cluster: 'dev-cluster', namespace: 'payments-dev' },
    ]);
    expect(provisioner.identity).toEqual({
      user: 'kubemate:provisioner',
      groups: [],
    });
  });

  it.each([
    [['Payments', ['dev']], /^service must be a lowercase DNS label/],
    [['x'.repeat(41), ['dev']], /^service must be a lowercase DNS label/],
    [['payments', []], /^environments: choose at least one/],
    [
      ['payments', ['qa']],
      /^environments: unknown environment "qa" \(configured: dev, staging\)/,
    ],
    [
      ['payments', ['staging']],
      /maps to cluster gone-cluster, which the portal does not know/,
    ],
  ] as Array<[[string, string[]], RegExp]>)(
    'refuses %j with an InputError',
    ([service, environments], message) => {
      const { provisioner } = provisionerWith(allow);
      expect(() => provisioner.targets(service, environments)).toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(message),
        }),
      );
    },
  );

  it('checks the permission on every target namespace, denying when one is denied', async () => {
    const { provisioner, permissions } = provisionerWith(ref =>
      ref === 'prod-cluster/payments-prod'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );
    const credentials = mockCredentials.user('user:default/alice');
    const targets = [
      { cluster: 'dev-cluster', namespace: 'payments-dev' },
      { cluster: 'prod-cluster', namespace: 'payments-prod' },
    ];
    await expect(
      provisioner.authorize(
        credentials,
        provisioningNamespaceEnsurePermission,
        targets,
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('prod-cluster/payments-prod'),
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: provisioningNamespaceEnsurePermission,
          resourceRef: 'dev-cluster/payments-dev',
        },
        {
          permission: provisioningNamespaceEnsurePermission,
          resourceRef: 'prod-cluster/payments-prod',
        },
      ],
      { credentials },
    );
    await expect(
      provisioner.authorize(
        credentials,
        provisioningNamespaceEnsurePermission,
        [targets[0]],
      ),
    ).resolves.toBeUndefined();
  });

  it('checks a basic permission', async () => {
    const { provisioner } = provisionerWith(() => AuthorizeResult.DENY);
    await expect(
      provisioner.authorizeBasic(
        mockCredentials.user(),
        provisioningRepositoryCreatePermission,
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('records audit entries, and only logs a failure to write one', async () => {
    const audit = { record: jest.fn(async () => {}) };
    const { provisioner, logger } = provisionerWith(allow, audit);
    await provisioner.record(
      'user:default/alice',
      'kubemate:git:publish',
      'success',
      'pushed',
      {
        kind: 'Repository',
        name: 'payments',
      },
    );
    expect(audit.record).toHaveBeenCalledWith({
      actor: 'user:default/alice',
      action: 'kubemate:git:publish',
      cluster: undefined,
      namespace: undefined,
      kind: 'Repository',
      name: 'payments',
      result: 'success',
      message: 'pushed',
    });
    audit.record.mockRejectedValueOnce(new Error('db down'));
    await expect(
      provisioner.record('a', 'b', 'failure', 'm'),
    ).resolves.toBeUndefined();
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('db down'),
    );
  });

  it('summarizes changes for the task log', () => {
    const changes = [
      { kind: 'Namespace', name: 'a', operation: 'created' as const },
      { kind: 'Namespace', name: 'b', operation: 'unchanged' as const },
    ];
    expect(summarize(changes, false)).toBe(
      'created 1, configured 0, unchanged 1',
    );
    expect(summarize(changes, true)).toBe(
      'created 1, configured 0, unchanged 1 (dry run: nothing was stored)',
    );
  });
});
