import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type {
  Finding,
  RunDetails,
  RunScores,
} from '@kubemate/plugin-inspections-common';
import { exemption, finding, reportInput } from '../Reports/testInput';
import {
  DefaultInspectionNotifier,
  ownersOf,
} from './DefaultInspectionNotifier';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'dev-cluster',
      annotations: { 'kubemate.io/cluster-name': 'dev-cluster' },
    },
    spec: { type: 'kubernetes-cluster', owner: 'platform-admins' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'service-2', namespace: 'default' },
    spec: { type: 'service', owner: 'group:default/ai-platform' },
  },
];

function setup(options: { enabled?: boolean; failSends?: number } = {}) {
  const sent: NotificationSendOptions[] = [];
  let failures = options.failSends ?? 0;
  const notifications = {
    send: jest.fn(async (n: NotificationSendOptions) => {
      if (failures > 0) {
        failures--;
        throw new Error('notifications backend down');
      }
      sent.push(n);
    }),
  };
  const logger = mockServices.logger.mock();
  const catalog = catalogServiceMock({ entities });
  const notifier = new DefaultInspectionNotifier({
    notifications,
    catalog,
    auth: mockServices.auth(),
    logger,
    enabled: options.enabled ?? true,
  });
  return { notifier, sent, logger, notifications, catalog };
}

const critical = (i: number, owner?: string, cluster = 'dev-cluster') =>
  finding(i, {
    severity: 'critical',
    status: 'failed',
    owner,
    fingerprint: `fp-critical-${i}`,
    object: { cluster, namespace: 'risk-a', kind: 'Pod', name: `pod-${i}` },
  });

function run(
  id: string,
  findings: Finding[],
  grades?: Record<string, RunScores>,
): RunDetails {
  return { ...reportInput(0).run, id, findings, clusterScores: grades };
}

const scores = (overall: number, grade: RunScores['grade']): RunScores => ({
  overall,
  grade,
  byCategory: {},
});

const recipientsOf = (n: NotificationSendOptions) =>
  n.recipients.type === 'entity' ? [n.recipients.entityRef].flat().sort() : [];

describe('DefaultInspectionNotifier', () => {
  it('notifies each owner once about its new critical findings, listing up to five', async () => {
    const { notifier, sent, logger } = setup();
    const payments = 'group:default/team-payments';
    const risk = 'group:default/risk-analytics';
    const previous = run('prev-run-0001', [critical(1, payments)]);
    const head = run('0123456789-head', [
      critical(1, payments), // known before
      ...[2, 3, 4, 5, 6, 7, 8].map(i => critical(i, payments)),
      critical(9, risk),
      critical(10), // no owner
      { ...critical(11, risk), status: 'exempted' },
      { ...critical(12, risk), severity: 'high' },
    ]);

    await notifier.runFinished({ run: head, previous });

    expect(sent).toHaveLength(2);
    const toPayments = sent.find(n => recipientsOf(n)[0] === payments)!;
    expect(toPayments.payload).toMatchObject({
      title: '7 new critical findings in inspection 01234567',
      link: '/inspections/runs/0123456789-head',
      severity: 'critical',
      topic: 'inspections',
      scope: `inspections:run:0123456789-head:critical:${payments}`,
    });
    const lines = toPayments.payload.description!.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toContain('dev-cluster/risk-a/Pod/pod-2');
    expect(lines[5]).toBe('… and 2 more');
    const toRisk = sent.find(n => recipientsOf(n)[0] === risk)!;
    expect(toRisk.payload.title).toBe(
      '1 new critical finding in inspection 01234567',
    );
    expect(toRisk.payload.description).toContain('pod-9');
    expect(toRisk.payload.description).not.toContain('pod-11');
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining(
        '1 new critical finding without an owning entity, not notified',
      ),
    );
  });

  it('tells the cluster owner and the owners of new findings about a grade drop', async () => {
    const { notifier, sent } = setup();
    const previous = run(
      'prev-run-0001',
      [critical(1, 'group:default/team-payments')],
      {
        'dev-cluster': scores(92, 'A'),
        'prod-cluster': scores(75, 'C'),
      },
    );
    const head = run(
      'head-run-0002',
      [
        critical(1, 'group:default/team-payments'),
        { ...critical(2, 'group:default/ai-platform'), severity: 'medium' },
        critical(3, 'group:default/risk-analytics', 'prod-cluster'),
      ],
      { 'dev-cluster': scores(71.5, 'C'), 'prod-cluster': scores(76, 'C') },
    );

    await notifier.runFinished({ run: head, previous });

    const drops = sent.filter(n => n.payload.scope?.includes(':grade:'));
    expect(drops).toHaveLength(1);
    expect(recipientsOf(drops[0])).toEqual([
      'group:default/ai-platform',
      'group:default/platform-admins',
    ]);
    expect(drops[0].payload).toMatchObject({
      title: 'Inspection grade of dev-cluster dropped from A to C',
      severity: 'high',
      scope: 'inspections:run:head-run-0002:grade:dev-cluster',
      link: '/inspections/runs/head-run-0002',
    });
    expect(drops[0].payload.description).toMatch(
      /^Score 92\.0 → 71\.5 since run prev-run; 1 new finding on the cluster:\n• /,
    );
  });

  it('treats every critical finding as new on the first run and compares no grades', async () => {
    const { notifier, sent } = setup();
    await notifier.runFinished({
      run: run('first-run', [critical(1, 'group:default/team-payments')], {
        'dev-cluster': scores(10, 'F'),
      }),
    });
    expect(sent.map(n => n.payload.severity)).toEqual(['critical']);
  });

  it('tells the owner of the exempted entity and the requester before and after expiry', async () => {
    const { notifier, sent } = setup();
    const owned = {
      ...exemption(10),
      entityRef: 'component:default/service-2',
    };
    const unknown = { ...exemption(21), entityRef: 'component:default/gone' };

    await notifier.exemptionsExpiring([owned, unknown]);
    expect(sent.map(recipientsOf)).toEqual([
      ['group:default/ai-platform', 'user:default/alice'],
      ['user:default/alice'],
    ]);
    expect(sent[0].payload).toMatchObject({
      title: `Inspection exemption expires 2026-12-20: ${owned.checkId} on Host/node-10 (/var)`,
      severity: 'normal',
      scope: 'inspections:exemption:ex-10:expiring',
      link: '/inspections/exemptions',
    });

    sent.length = 0;
    await notifier.exemptionsExpired([owned]);
    expect(sent).toHaveLength(1);
    expect(recipientsOf(sent[0])).toEqual([
      'group:default/ai-platform',
      'user:default/alice',
    ]);
    expect(sent[0].payload).toMatchObject({
      severity: 'high',
      scope: 'inspections:exemption:ex-10:expired',
    });
    expect(sent[0].payload.title).toContain('the finding fails again');
  });

  it('does nothing when disabled', async () => {
    const { notifier, notifications } = setup({ enabled: false });
    await notifier.runFinished({
      run: run('r', [critical(1, 'group:default/a')]),
    });
    await notifier.exemptionsExpiring([exemption(1)]);
    await notifier.exemptionsExpired([exemption(1)]);
    expect(notifications.send).not.toHaveBeenCalled();
  });

  it('logs a failing notifications service and carries on', async () => {
    const { notifier, sent, logger } = setup({ failSends: 1 });
    await expect(
      notifier.runFinished({
        run: run('r', [
          critical(1, 'group:default/a'),
          critical(2, 'group:default/b'),
        ]),
      }),
    ).resolves.toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Could not send the notification '1 new critical finding in inspection r' to group:default\/a: notifications backend down$/,
      ),
    );
  });

  it('still notifies the requester when the catalog fails', async () => {
    const { notifier, sent, logger, catalog } = setup();
    jest
      .spyOn(catalog, 'getEntitiesByRefs')
      .mockRejectedValue(new Error('catalog down'));
    await notifier.exemptionsExpired([exemption(10)]);
    expect(sent.map(recipientsOf)).toEqual([['user:default/alice']]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('catalog down'),
    );
  });

  it('reads owners from ownedBy relations first, else spec.owner', () => {
    expect(
      ownersOf({
        ...entities[1],
        relations: [{ type: 'ownedBy', targetRef: 'group:default/x' }],
      }),
    ).toEqual(['group:default/x']);
    expect(ownersOf(entities[0])).toEqual(['group:default/platform-admins']);
    expect(ownersOf({ ...entities[0], spec: {} })).toEqual([]);
  });
});
