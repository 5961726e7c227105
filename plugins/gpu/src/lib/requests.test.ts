import {
  fieldOfServerError,
  nominalChange,
  RequestDraft,
  requestTargets,
  validateRequest,
} from './requests';
import { queues, request } from '../__testUtils__/fixtures';
import { enT } from '../__testUtils__/i18n';

const limits = { selfServiceLimit: 1, maxGpus: 16, maxHours: 168 };
const targets = requestTargets(queues());
const draft = (o: Partial<RequestDraft> = {}): RequestDraft => ({
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  flavor: 'a100-40gb',
  gpus: '4',
  durationHours: '24',
  reason: 'fine-tuning',
  ...o,
});

describe('requestTargets', () => {
  it("lists the namespaces of the queues' LocalQueues with their queue's flavors", () => {
    expect(
      targets.map(t => [
        t.namespace,
        t.clusterQueue,
        t.flavors.map(f => f.name),
      ]),
    ).toEqual([
      ['payments-dev', 'team-payments', ['a100-40gb']],
      ['risk-dev', 'team-risk', ['a100-40gb', 'a10g']],
    ]);
  });
});

describe('validateRequest', () => {
  it('builds the request from a valid draft', () => {
    expect(
      validateRequest(
        draft({ reason: '  fine-tuning ' }),
        targets,
        limits,
        enT,
      ),
    ).toEqual({
      errors: {},
      body: {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        flavor: 'a100-40gb',
        gpus: 4,
        durationHours: 24,
        reason: 'fine-tuning',
      },
    });
  });

  it.each([
    [{ gpus: '-2' }, 'gpus', 'A whole number of GPUs, at least 1'],
    [{ gpus: '0' }, 'gpus', 'A whole number of GPUs, at least 1'],
    [{ gpus: '1.5' }, 'gpus', 'A whole number of GPUs, at least 1'],
    [{ gpus: '17' }, 'gpus', 'At most 16 GPUs per request'],
    [{ durationHours: '0' }, 'durationHours', 'A number of hours above 0'],
    [{ durationHours: '169' }, 'durationHours', 'At most 168 hours (7 days)'],
    [
      { reason: '   ' },
      'reason',
      'Say what the GPUs are for (the approver reads it)',
    ],
    [{ flavor: 'a10g' }, 'flavor', 'a10g is not a flavor of team-payments'],
    [
      { namespace: 'payments-prod' },
      'namespace',
      'payments-prod has no GPU queue (LocalQueue) in dev-cluster',
    ],
    [
      { cluster: 'prod-cluster' },
      'cluster',
      'No team queue you can see in prod-cluster',
    ],
  ])('rejects %j on %s', (o, field, message) => {
    const v = validateRequest(draft(o), targets, limits, enT);
    expect(v.body).toBeUndefined();
    expect((v.errors as any)[field]).toBe(message);
  });
});

describe('fieldOfServerError', () => {
  it('finds the field a backend 400 names', () => {
    expect(fieldOfServerError('gpus: must be at most 64')).toBe('gpus');
    expect(fieldOfServerError('unknown flavor h100 in dev-cluster')).toBe(
      'flavor',
    );
    expect(fieldOfServerError('durationHours must be above 0')).toBe(
      'durationHours',
    );
    expect(fieldOfServerError('something else')).toBeUndefined();
  });
});

describe('nominalChange', () => {
  it("is the flavor's nominal before and after the request", () => {
    expect(nominalChange(request({ gpus: 4 }), queues().queues)).toEqual({
      before: 2,
      after: 6,
    });
    expect(
      nominalChange(request({ clusterQueue: 'gone' }), queues().queues),
    ).toEqual({ before: undefined, after: undefined });
  });
});
