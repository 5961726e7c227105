import {
  describeDevStack,
  describeServer,
  devStackServerFor,
  parseDevStackProgress,
} from './devStack';

const NOW = new Date('2026-12-02T12:00:00Z');
const at = (secondsAgo: number) =>
  new Date(NOW.getTime() - secondsAgo * 1000).toISOString();

const loki = {
  id: 'loki',
  title: 'Loki',
  state: 'building' as const,
  since: at(0),
  etaSeconds: 360,
  error: null,
};

describe('describeServer', () => {
  it('says how long a build has left, minutes rounded up', () => {
    expect(describeServer(loki, NOW)).toBe(
      'Loki is still building — about 6 min left',
    );
    expect(describeServer({ ...loki, etaSeconds: 301 }, NOW)).toBe(
      'Loki is still building — about 6 min left',
    );
    expect(describeServer({ ...loki, etaSeconds: 59 }, NOW)).toBe(
      'Loki is still building — less than a minute left',
    );
  });

  it('counts the ETA from when the file was written, else from since', () => {
    expect(describeServer({ ...loki, since: at(200) }, NOW)).toBe(
      'Loki is still building — about 3 min left',
    );
    expect(describeServer({ ...loki, since: at(200) }, NOW, at(10))).toBe(
      'Loki is still building — about 6 min left',
    );
  });

  it('says a passed ETA should be ready any moment', () => {
    expect(describeServer({ ...loki, since: at(400) }, NOW)).toBe(
      'Loki is still building — should be ready any moment',
    );
  });

  it('describes every state', () => {
    expect(
      describeServer({ ...loki, state: 'starting', etaSeconds: null }, NOW),
    ).toBe('Loki is starting');
    expect(
      describeServer({ ...loki, state: 'up', etaSeconds: null }, NOW),
    ).toBe('Loki is up');
    expect(
      describeServer(
        { ...loki, state: 'failed', error: 'go build: exit 1' },
        NOW,
      ),
    ).toBe('Loki failed to build: go build: exit 1');
    expect(
      describeServer({ ...loki, state: 'pending', etaSeconds: 540 }, NOW),
    ).toBe('Loki is waiting (about 9 min left)');
    expect(describeServer({ ...loki, state: 'stopped' }, NOW)).toBe(
      'Loki is stopped',
    );
    expect(describeServer({ ...loki, title: '', etaSeconds: null }, NOW)).toBe(
      'loki is still building',
    );
  });
});

describe('devStackServerFor', () => {
  const servers = [
    { title: 'Kubernetes API' },
    { title: 'Loki' },
    { title: 'Thanos' },
    { title: 'Thanos Query' },
  ];
  it('matches an upstream name that starts with the title, the longest title first', () => {
    expect(
      devStackServerFor(servers, 'Kubernetes API of dev-cluster')?.title,
    ).toBe('Kubernetes API');
    expect(devStackServerFor(servers, 'Loki')?.title).toBe('Loki');
    expect(devStackServerFor(servers, 'Thanos Query')?.title).toBe(
      'Thanos Query',
    );
  });
  it('does not match a longer word or another name', () => {
    expect(devStackServerFor(servers, 'Lokiish')).toBeUndefined();
    expect(devStackServerFor(servers, 'Jaeger')).toBeUndefined();
  });
});

describe('describeDevStack', () => {
  it('counts the servers up and gives the longest wait', () => {
    expect(
      describeDevStack(
        [
          { ...loki, state: 'up', etaSeconds: null },
          { ...loki, etaSeconds: 120 },
          { ...loki, state: 'pending', etaSeconds: 840 },
          { ...loki, state: 'failed', etaSeconds: null },
        ],
        NOW,
      ),
    ).toBe('1 of 4 servers up, 1 failed — about 14 min left');
    expect(
      describeDevStack([{ ...loki, state: 'up', etaSeconds: null }], NOW),
    ).toBe('1 of 1 servers up');
  });
});

describe('parseDevStackProgress', () => {
  it('reads the contract and fills what a server file may lack', () => {
    const p = parseDevStackProgress(
      JSON.stringify({
        version: 1,
        updatedAt: 'u',
        startedAt: 's',
        running: true,
        pid: 42,
        servers: [
          { id: 'helm', part: 'helm', state: 'weird', since: 'x' },
          { title: 'no id' },
        ],
      }),
    );
    expect(p).toEqual({
      version: 1,
      updatedAt: 'u',
      startedAt: 's',
      running: true,
      pid: 42,
      servers: [
        {
          id: 'helm',
          part: 'helm',
          title: 'helm',
          state: 'pending',
          since: 'x',
          etaSeconds: null,
          log: null,
          error: null,
        },
      ],
    });
  });
  it('names what is wrong with a bad file', () => {
    expect(() => parseDevStackProgress('{')).toThrow(/not JSON/);
    expect(() => parseDevStackProgress('{}')).toThrow(/no servers list/);
  });
});
