import type { Severity } from '@kubemate/plugin-inspections-common';
import type {
  CheckContext,
  FindingDraft,
  InspectionCheck,
  QuerySample,
} from '@kubemate/plugin-inspections-node';
import { duration, percent, skipped, threshold } from './format';
import type { BuiltinChecksOptions } from './options';

/** File systems that are not disks (memory, overlays of containers, snaps, kernel pseudo fs). */
const PSEUDO_FS =
  'fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|proc|sysfs|cgroup2?|autofs|fuse\\\\..*|efivarfs|tracefs"';

const NOT_CONFIGURED = 'kubemate.inspections.prometheus.url is not configured';

/**
 * A check over node exporter series: `query` (built from the host selector) returns one sample
 * per host (and part); `judge` says what is wrong with a sample. No series at all is a skip
 * naming the metric (the exporter-up check reports missing exporters).
 */
function hostCheck(
  options: BuiltinChecksOptions,
  check: Omit<
    InspectionCheck,
    'run' | 'scope' | 'dataSource' | 'version' | 'category'
  > & {
    query(selector: string, ctx: CheckContext): string;
    /** Label naming the sub-object (e.g. `mountpoint`). */
    partLabel?: string;
    judge(
      value: number,
      ctx: CheckContext,
      sample: QuerySample,
    ):
      | {
          message: string;
          measured: string;
          expected: string;
          severity?: Severity;
        }
      | undefined;
  },
): InspectionCheck {
  const { query, partLabel, judge, ...info } = check;
  return {
    version: 1,
    ...info,
    category: 'host',
    dataSource: 'prometheus',
    scope: 'global',
    async run(ctx) {
      if (!ctx.sources.prometheus.configured()) return skipped(NOT_CONFIGURED);
      const q = query(options.hostSelector, ctx);
      const samples = (await ctx.sources.prometheus.query(q)).filter(s =>
        Number.isFinite(s.value),
      );
      if (samples.length === 0) {
        return skipped(`no series for ${options.hostSelector}: ${q}`);
      }
      const findings: FindingDraft[] = [];
      for (const s of samples) {
        const problem = judge(s.value, ctx, s);
        if (!problem) continue;
        const instance = s.labels.instance ?? '(unknown)';
        const part = partLabel ? s.labels[partLabel] : undefined;
        findings.push({
          object: { kind: 'Host', name: instance, part },
          message: `${instance}${part ? ` ${part}` : ''}: ${problem.message}`,
          severity: problem.severity,
          evidence: {
            measured: problem.measured,
            expected: problem.expected,
            query: q,
          },
        });
      }
      return { findings, evaluated: samples.length };
    },
  };
}

/** A percentage check with a warning threshold (the check's severity) and a critical one. */
function usageJudge(what: string, warnKey: string, criticalKey?: string) {
  return (value: number, ctx: CheckContext) => {
    const warn = threshold(ctx, warnKey);
    if (value < warn) return undefined;
    const critical = criticalKey ? threshold(ctx, criticalKey) : Infinity;
    return {
      message: `${what} at ${percent(value)}.`,
      measured: percent(value),
      expected: `< ${warn} %`,
      severity: value >= critical ? ('critical' as const) : undefined,
    };
  };
}

export function createHostChecks(
  options: BuiltinChecksOptions,
): InspectionCheck[] {
  const sel = (selector: string, extra?: string) =>
    `{${[selector, extra].filter(Boolean).join(', ')}}`;

  const exporterUp: InspectionCheck = {
    id: 'host.exporter-up',
    version: 1,
    title: 'Host metrics are collected',
    category: 'host',
    severity: 'critical',
    description: `The node exporters selected by \`kubemate.inspections.hostSelector\` (here \`${options.hostSelector}\`) must be scraped (\`up == 1\`). No series at all means no host is inspected: every other host check would silently see nothing, so that is a finding, not a skip.`,
    remediation: [
      '- Check the exporter on the host (`systemctl status prometheus-node-exporter`, `curl http://<host>:9100/metrics`).',
      "- Check Prometheus' targets page for the scrape error (firewall, TLS, wrong port) and that the job name matches the host selector.",
    ].join('\n'),
    references: [
      {
        source: 'Prometheus',
        id: 'node_exporter',
        url: 'https://github.com/prometheus/node_exporter',
      },
    ],
    dataSource: 'prometheus',
    scope: 'global',
    async run(ctx) {
      if (!ctx.sources.prometheus.configured()) return skipped(NOT_CONFIGURED);
      const q = `up${sel(options.hostSelector)}`;
      const samples = await ctx.sources.prometheus.query(q);
      if (samples.length === 0) {
        return {
          evaluated: 1,
          findings: [
            {
              object: { kind: 'Host', name: options.hostSelector },
              message: `No host metrics: no scrape target matches ${options.hostSelector}.`,
              evidence: {
                measured: 'no series',
                expected: 'up == 1 for each host',
                query: q,
              },
            },
          ],
        };
      }
      const findings: FindingDraft[] = samples
        .filter(s => s.value !== 1)
        .map(s => ({
          object: { kind: 'Host', name: s.labels.instance ?? '(unknown)' },
          message: `The node exporter of ${s.labels.instance} cannot be scraped.`,
          evidence: {
            measured: `up = ${s.value}`,
            expected: 'up == 1',
            query: q,
          },
        }));
      return { findings, evaluated: samples.length };
    },
  };

  const cpuUsage = hostCheck(options, {
    id: 'host.cpu-usage',
    title: 'Host CPU is not saturated',
    severity: 'high',
    description:
      'CPU busy share of each host averaged over the last `windowMinutes` (all cores, everything but idle). Sustained saturation delays every process on the host, the kubelet and container runtime included.',
    remediation:
      '`top` / `pidstat 5` on the host show the consumers. Move or limit the heavy workloads (CPU limits, fewer replicas per node), or add capacity.',
    references: [],
    thresholds: { usedPercent: 90, windowMinutes: 5 },
    query: (s, ctx) =>
      `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total${sel(
        s,
        'mode="idle"',
      )}[${threshold(ctx, 'windowMinutes')}m])))`,
    judge: usageJudge('CPU busy', 'usedPercent'),
  });

  const memoryUsage = hostCheck(options, {
    id: 'host.memory-usage',
    title: 'Host memory is not exhausted',
    severity: 'high',
    description:
      'Share of memory in use (`1 - MemAvailable / MemTotal`). Near full the kernel reclaims page cache, then swaps or OOM-kills processes.',
    remediation:
      '`free -m`, `ps aux --sort=-rss | head` on the host; look for leaking processes, reduce page-cache-hungry jobs, or add memory. On Kubernetes nodes, set memory limits and kubelet eviction thresholds.',
    references: [],
    thresholds: { usedPercent: 90, criticalPercent: 97 },
    query: s =>
      `100 * (1 - node_memory_MemAvailable_bytes${sel(
        s,
      )} / node_memory_MemTotal_bytes${sel(s)})`,
    judge: usageJudge('memory used', 'usedPercent', 'criticalPercent'),
  });

  const diskUsage = hostCheck(options, {
    id: 'host.disk-usage',
    title: 'Host file systems have free space',
    severity: 'high',
    description:
      'Used share of each mounted disk file system (memory and overlay pseudo file systems excluded). A full file system stops databases, logging and the container runtime.',
    remediation:
      '`df -h` and `du -xh --max-depth=1 <mountpoint> | sort -h` find what grew. Rotate and compress logs (`journalctl --vacuum-size`), prune images (`crictl rmi --prune`), remove old backups, or grow the volume.',
    references: [],
    thresholds: { usedPercent: 85, criticalPercent: 95 },
    partLabel: 'mountpoint',
    query: s =>
      `100 * (1 - node_filesystem_avail_bytes${sel(
        s,
        PSEUDO_FS,
      )} / node_filesystem_size_bytes${sel(s, PSEUDO_FS)})`,
    judge: usageJudge('disk used', 'usedPercent', 'criticalPercent'),
  });

  const inodeUsage = hostCheck(options, {
    id: 'host.inode-usage',
    title: 'Host file systems have free inodes',
    severity: 'medium',
    description:
      'Used share of inodes of each disk file system. Out of inodes no file can be created even with free space (many small files: caches, mail queues, session files).',
    remediation:
      '`df -i` and `find <mountpoint> -xdev -type f | cut -d/ -f2-3 | sort | uniq -c | sort -n | tail` find the directory with millions of files; clean it up or rebuild the file system with more inodes.',
    references: [],
    thresholds: { usedPercent: 90 },
    partLabel: 'mountpoint',
    query: s =>
      `100 * (1 - node_filesystem_files_free${sel(
        s,
        PSEUDO_FS,
      )} / node_filesystem_files${sel(s, PSEUDO_FS)})`,
    judge: usageJudge('inodes used', 'usedPercent'),
  });

  const load = hostCheck(options, {
    id: 'host.load',
    title: 'Host load is within its CPUs',
    severity: 'medium',
    description:
      'The 15-minute load average per CPU. Above `loadPerCpu` processes wait for CPU or for I/O (load counts uninterruptible I/O waits too).',
    remediation:
      '`vmstat 5` tells CPU (`r`) from I/O (`b`, `wa`) waits; `iotop` shows I/O consumers. Spread the work, fix the slow disk, or add capacity.',
    references: [],
    thresholds: { loadPerCpu: 2 },
    query: s =>
      `node_load15${sel(
        s,
      )} / on (instance) count by (instance) (node_cpu_seconds_total${sel(
        s,
        'mode="idle"',
      )})`,
    judge: (v, ctx) => {
      const max = threshold(ctx, 'loadPerCpu');
      if (v < max) return undefined;
      return {
        message: `load ${v.toFixed(2)} per CPU.`,
        measured: `${v.toFixed(2)} per CPU (15 min)`,
        expected: `< ${max} per CPU`,
      };
    },
  });

  const fileDescriptors = hostCheck(options, {
    id: 'host.file-descriptors',
    title: 'Host has free file descriptors',
    severity: 'medium',
    description:
      'Allocated file descriptors as a share of the kernel maximum (`fs.file-max`). At the maximum new connections and files fail with "Too many open files".',
    remediation:
      "`lsof | awk '{print $1}' | sort | uniq -c | sort -n | tail` finds the process holding them (often leaked sockets); fix the leak, or raise `fs.file-max` in `/etc/sysctl.d/`.",
    references: [],
    thresholds: { usedPercent: 80 },
    query: s =>
      `100 * node_filefd_allocated${sel(s)} / node_filefd_maximum${sel(s)}`,
    judge: usageJudge('file descriptors allocated', 'usedPercent'),
  });

  const diskIo = hostCheck(options, {
    id: 'host.disk-io',
    title: 'Host disks are not saturated',
    severity: 'medium',
    description:
      'The share of time each block device was busy with I/O over the last 5 minutes (`node_disk_io_time_seconds_total`, what `iostat` calls `%util`). A device busy above `busyPercent` queues requests: databases, etcd and logs slow down with it.',
    remediation:
      '`iostat -x 5` confirms it (`%util`, `await`) and `iotop` shows who does the I/O. Move the hot data (etcd, databases) to a faster or dedicated device, reduce log verbosity or batch writes.',
    references: [],
    thresholds: { busyPercent: 90 },
    partLabel: 'device',
    query: s =>
      `100 * max by (instance, device) (rate(node_disk_io_time_seconds_total${sel(
        s,
        'device!~"(loop|ram|fd|sr)[0-9]*"',
      )}[5m]))`,
    judge: (v, ctx) => {
      const max = threshold(ctx, 'busyPercent');
      if (v < max) return undefined;
      return {
        message: `busy ${percent(v)} of the time.`,
        measured: `${percent(v)} busy (5 min)`,
        expected: `< ${max} %`,
      };
    },
  });

  const networkErrors = hostCheck(options, {
    id: 'host.network-errors',
    title: 'Host network interfaces do not drop or corrupt packets',
    severity: 'medium',
    description:
      'Receive and transmit errors and drops per second of each network interface over the last 5 minutes (`node_network_{receive,transmit}_{errs,drop}_total`, loopback excluded). Above `perSecond` connections retransmit and time out.',
    remediation:
      '`ip -s link show <device>` and `ethtool -S <device>` tell errors (cabling, NIC, driver) from drops (full ring buffers: `ethtool -G`, or a saturated link). Check the switch port and the MTU on both ends.',
    references: [],
    thresholds: { perSecond: 1 },
    partLabel: 'device',
    query: s => {
      const m = sel(s, 'device!="lo"');
      return `sum by (instance, device) (rate(node_network_receive_errs_total${m}[5m]) + rate(node_network_transmit_errs_total${m}[5m]) + rate(node_network_receive_drop_total${m}[5m]) + rate(node_network_transmit_drop_total${m}[5m]))`;
    },
    judge: (v, ctx) => {
      const max = threshold(ctx, 'perSecond');
      if (v < max) return undefined;
      return {
        message: `${v.toFixed(1)} packet errors and drops per second.`,
        measured: `${v.toFixed(1)}/s (5 min)`,
        expected: `< ${max}/s`,
      };
    },
  });

  const timeSync: InspectionCheck = {
    id: 'host.time-sync',
    version: 1,
    title: 'Host clocks are synchronised',
    category: 'host',
    severity: 'medium',
    description:
      "The kernel's NTP state (`node_timex_sync_status`) and clock offset (`node_timex_offset_seconds`). Drifting clocks break TLS validity checks, token expiry, distributed locks, etcd leases and log/trace correlation.",
    remediation:
      '`timedatectl status` and `chronyc tracking` (or `ntpq -p`) on the host: enable and point the time daemon at reachable NTP servers (`timedatectl set-ntp true`).',
    references: [],
    dataSource: 'prometheus',
    scope: 'global',
    thresholds: { maxOffsetSeconds: 0.5 },
    async run(ctx) {
      if (!ctx.sources.prometheus.configured()) return skipped(NOT_CONFIGURED);
      const maxOffset = threshold(ctx, 'maxOffsetSeconds');
      const qSync = `node_timex_sync_status${sel(options.hostSelector)}`;
      const qOffset = `node_timex_offset_seconds${sel(options.hostSelector)}`;
      const [sync, offset] = await Promise.all([
        ctx.sources.prometheus.query(qSync),
        ctx.sources.prometheus.query(qOffset),
      ]);
      if (sync.length === 0)
        return skipped(`no series for ${options.hostSelector}: ${qSync}`);
      const offsets = new Map(offset.map(s => [s.labels.instance, s.value]));
      const findings: FindingDraft[] = [];
      for (const s of sync) {
        const instance = s.labels.instance ?? '(unknown)';
        const off = offsets.get(instance);
        const unsynced = s.value !== 1;
        const drifted = off !== undefined && Math.abs(off) > maxOffset;
        if (!unsynced && !drifted) continue;
        findings.push({
          object: { kind: 'Host', name: instance },
          message: `${instance}: the clock is ${
            unsynced ? 'not synchronised' : `off by ${off!.toFixed(3)} s`
          }.`,
          evidence: {
            measured: `sync_status=${s.value}${
              off !== undefined ? `, offset ${off.toFixed(3)} s` : ''
            }`,
            expected: `sync_status=1, |offset| ≤ ${maxOffset} s`,
            query: `${qSync}; ${qOffset}`,
          },
        });
      }
      return { findings, evaluated: sync.length };
    },
  };

  const cronJobs: InspectionCheck = {
    id: 'host.cron-jobs',
    version: 1,
    title: 'Host cron jobs succeed and run on time',
    category: 'host',
    severity: 'high',
    description: [
      "Host cron jobs (backups, log clean-up, certificate renewals) report through the node exporter's textfile collector:",
      '`kubemate_cron_job_last_exit_code{job="<name>"}` and `kubemate_cron_job_last_run_timestamp_seconds{job="<name>"}`.',
      'A non-zero last exit code, or a last run older than `maxAgeHours`, is a finding.',
    ].join(' '),
    remediation: [
      "- Read the job's log (`journalctl -t <job>` or its own log file) for the failure and re-run it by hand once fixed.",
      '- A stale run: the crontab entry or timer is gone or disabled (`crontab -l`, `systemctl list-timers`), or the host was down at the scheduled time.',
      '- Wrap each job so it writes both metrics when it ends (`echo "kubemate_cron_job_last_exit_code{job=\\"x\\"} $?" > <textfile dir>/x.prom.$$ && mv ...`).',
    ].join('\n'),
    references: [],
    dataSource: 'prometheus',
    scope: 'global',
    thresholds: { maxAgeHours: 26 },
    async run(ctx) {
      if (!ctx.sources.prometheus.configured()) return skipped(NOT_CONFIGURED);
      const maxAgeMs = threshold(ctx, 'maxAgeHours') * 3_600_000;
      // the exporter's own job label is the scrape job; the cron job's name comes as exported_job
      // unless the scrape honours labels, so read either
      const qExit = `kubemate_cron_job_last_exit_code${sel(
        options.hostSelector,
      )}`;
      const qRun = `kubemate_cron_job_last_run_timestamp_seconds${sel(
        options.hostSelector,
      )}`;
      const [exits, runs] = await Promise.all([
        ctx.sources.prometheus.query(qExit),
        ctx.sources.prometheus.query(qRun),
      ]);
      const nameOf = (s: QuerySample) =>
        s.labels.exported_job ?? s.labels.cron_job ?? s.labels.job ?? '';
      const jobs = new Map<
        string,
        { instance: string; job: string; exit?: number; lastRun?: number }
      >();
      const entry = (s: QuerySample) => {
        const instance = s.labels.instance ?? '(unknown)';
        const job = nameOf(s);
        const key = `${instance}\u0000${job}`;
        let e = jobs.get(key);
        if (!e) {
          e = { instance, job };
          jobs.set(key, e);
        }
        return e;
      };
      for (const s of exits) entry(s).exit = s.value;
      for (const s of runs) entry(s).lastRun = s.value;
      if (jobs.size === 0)
        return skipped(
          `no cron job metrics for ${options.hostSelector}: ${qExit}`,
        );
      const findings: FindingDraft[] = [];
      for (const j of jobs.values()) {
        const ageMs =
          j.lastRun !== undefined
            ? ctx.now.getTime() - j.lastRun * 1000
            : undefined;
        const failed = j.exit !== undefined && j.exit !== 0;
        const stale = ageMs !== undefined && ageMs > maxAgeMs;
        if (!failed && !stale) continue;
        const problems = [
          failed && `last exit code ${j.exit}`,
          stale && `last run ${duration(ageMs!)} ago`,
        ].filter(Boolean);
        findings.push({
          object: { kind: 'Host', name: j.instance, part: `cron:${j.job}` },
          message: `${j.instance}: cron job ${j.job} — ${problems.join(', ')}.`,
          evidence: {
            measured: problems.join(', '),
            expected: `exit code 0, last run < ${ctx.thresholds.maxAgeHours} h ago`,
            query: `${qExit}; ${qRun}`,
          },
        });
      }
      return { findings, evaluated: jobs.size };
    },
  };

  return [
    exporterUp,
    cpuUsage,
    memoryUsage,
    diskUsage,
    inodeUsage,
    load,
    diskIo,
    networkErrors,
    fileDescriptors,
    timeSync,
    cronJobs,
  ];
}
