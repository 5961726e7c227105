import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, Page } from '@playwright/test';
import { parseAllDocuments } from 'yaml';

/*
 * "No English left": the visible text of a page in Simplified Chinese, less what is not UI text —
 * names of Kubernetes objects and kinds, products and units, query languages, identifiers the UI
 * marks with the HTML attribute translate="no" (permission names, Kubernetes rules, server ids),
 * code and editors, and user data (the demo catalog's and app-config's own titles and
 * descriptions, which are written in English).
 */

/** Products, Kubernetes kinds and fields, units and abbreviations: the same in every language. */
const NAMES = [
  'Node\\.js',
  'Kubemate',
  'Backstage',
  'Kubernetes',
  'etcd',
  'kwok',
  'Tekton',
  'Flagger',
  'Linkerd',
  'Kueue',
  'Kubeflow',
  'Thanos',
  'Prometheus',
  'Alertmanager',
  'Loki',
  'Jaeger',
  'OpenTelemetry',
  'MLflow',
  'MinIO',
  'Ollama',
  'Milvus',
  'Redis',
  'PostgreSQL',
  'SQLite',
  'Git',
  'GitOps',
  'PromQL',
  'LogQL',
  'TraceQL',
  'YAML',
  'JSON',
  'JSONL',
  'CSV',
  'PDF',
  'Markdown',
  'LoRA',
  'PEFT',
  'PyTorch',
  'PyTorchJob',
  'TrainJob',
  'Katib',
  'NVIDIA',
  'GPU',
  'GPUs',
  'CPU',
  'RAG',
  'RBAC',
  'API',
  'APIs',
  'URL',
  'ID',
  'SLO',
  'HPA',
  'TLS',
  'DNS',
  'HTTP',
  'S3',
  'Pod',
  'Pods',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Service',
  'Ingress',
  'Namespace',
  'Node',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  // Backstage's entity kinds
  'Component',
  'Components',
  'Group',
  'User',
  'System',
  'Resource',
  'Template',
  'Location',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'ResourceQuota',
  'LimitRange',
  'PipelineRun',
  'TaskRun',
  'Pipeline',
  'Canary',
  'ClusterQueue',
  'LocalQueue',
  'ResourceFlavor',
  'Workload',
  'WorkloadPriorityClass',
  'Running',
  'Pending',
  'Succeeded',
  'Failed',
  'Unknown',
  'Ready',
  'NotReady',
  'Master',
  'Worker',
  'Helm',
  'SmolLM2',
  'MiniLM',
  'Instruct',
  'HNSW',
  'Grafana',
  'OK',
  'KiB',
  'MiB',
  'GiB',
  'TiB',
  // environment names and the demo's service names (as Jaeger and the templates name them)
  'dev',
  'staging',
  'prod',
  'postgres',
  'redis',
  // keyboard keys
  'Enter',
  'Shift',
  'Esc',
  'HTTPRoute',
  // the catalog's relation types, which the relations graph writes on its edges as named
  'ownedBy',
  'ownerOf',
  'dependsOn',
  'dependencyOf',
  'hasPart',
  'partOf',
  'providesApi',
  'apiProvidedBy',
  'consumesApi',
  'apiConsumedBy',
  'parentOf',
  'childOf',
  'memberOf',
  'hasMember',
];

/** Tokens that are names by their shape: object names, versions, units, ids, times, paths. */
const SHAPES = [
  /\{[^{}]*\}/g, // PromQL / LogQL label matchers: {service="payments-api"}
  /\b\d+(?:\.\d+)?\s?(?:KiB|MiB|GiB|TiB|Ki|Mi|Gi|Ti|kB|MB|GB|ms|s|h|d|m|w|x|k|M)\b/g,
  /\b[A-Z]+[a-z0-9]+(?:[A-Z]+[a-z0-9]*)+\b/g, // CamelCase identifiers: CrashLoopBackOff, NodeNotReady
  /\b[a-z0-9]+(?:[-._/:][a-z0-9]+)+\b/gi, // payments-api, dev-cluster, team-payments, a.b, x/y
  /\b[a-z]+\d[\w]*\b/gi, // p95, a100, v1, k8s, s3
  /\b\d+xx\b/g, // status classes: 5xx
  /\b[A-Z]{2,}\b/g, // abbreviations: UTC, ETA, UID…
  /\b(?:alice|bob|carol|admin|guest)\b/gi, // the demo users
  /\bhttps?:\/\/\S+/g,
  /\b[a-z0-9-]+\*/g, // namespace patterns: payments-*
  /\b(?:user|group|component|resource|system|api|template|location):/gi, // entity refs
  // Backstage's entity kinds, which the catalog writes as it gets them (kind picker, table title)
  /\b(?:components?|groups?|users?|systems?|resources?|templates?|locations?|apis?|domains?)\b/gi,
];

/**
 * Upstream text no translation key reaches, named here so that it is the only English allowed:
 * Backstage's catalog table composes its title from the user filter's value and the pluralised
 * kind in English (CatalogTable: capitalize(filter) + pluralize(kind)).
 */
const UPSTREAM = [/^(?:Owned|Starred|All) [A-Z]\w*s$/];

/** The demo data's own English text: titles, descriptions and names in catalog/ and templates/. */
export function catalogTexts(root: string): string[] {
  const out = new Set<string>();
  const keys = [
    'title',
    'description',
    'displayName',
    'name',
    'lifecycle',
    'type',
  ];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      for (const key of keys) {
        if (typeof v[key] === 'string') out.add((v[key] as string).trim());
      }
      if (Array.isArray(v.tags)) v.tags.forEach(t => out.add(String(t)));
      Object.values(v).forEach(visit);
    }
  };
  // the roles and clusters app-config declares (their titles are configuration, not UI text)
  visit(
    parseAllDocuments(
      readFileSync(join(root, 'app-config.yaml'), 'utf8'),
    )[0]?.toJSON(),
  );
  for (const dir of ['catalog', 'templates']) {
    const files = readdirSync(join(root, dir), { recursive: true }) as string[];
    for (const file of files.filter(f => /\.ya?ml$/.test(f))) {
      if (dir === 'templates' && !file.endsWith('template.yaml')) continue;
      for (const doc of parseAllDocuments(
        readFileSync(join(root, dir, file), 'utf8'),
      )) {
        visit(doc.toJSON());
      }
    }
  }
  return [...out].filter(t => t.length > 1);
}

/**
 * The visible text nodes of the page (the open dialog's too) that still have an English word
 * once names, shapes and the given data texts are taken out.
 */
export async function englishLeft(
  page: Page,
  data: string[] = [],
  ignore: RegExp[] = [],
): Promise<string[]> {
  return page.evaluate(
    ({ names, shapes, data: texts, upstream }) => {
      const nameRe = new RegExp(`\\b(?:${names.join('|')})\\b`, 'g');
      const shapeRes = shapes.map(([src, flags]) => new RegExp(src, flags));
      const upstreamRes = upstream.map(
        ([src, flags]) => new RegExp(src, flags),
      );
      const whole = new Set(texts);
      // data written as a phrase is taken out where it stands; a single word only as a whole text
      const phrases = texts.filter(t => t.includes(' '));
      const found = new Set<string>();
      const walker = document.createTreeWalker(
        document.body,
        NodeFilter.SHOW_TEXT,
      );
      while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        const raw = (node.textContent ?? '').trim();
        if (!el || !raw) continue;
        // code, queries, object YAML, log lines and form values are data, not UI text
        if (
          el.closest(
            'code, pre, textarea, script, style, noscript, [translate="no"], .cm-editor, [aria-hidden="true"], [hidden]',
          )
        ) {
          continue;
        }
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') {
          continue;
        }
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        if (whole.has(raw) || upstreamRes.some(re => re.test(raw))) continue;
        let text = raw;
        for (const t of phrases) {
          if (text.includes(t)) text = text.split(t).join(' ');
        }
        // shapes first: a name inside an object's name (payments-dev) goes with it
        for (const re of shapeRes) text = text.replace(re, ' ');
        text = text.replace(nameRe, ' ');
        if (/[A-Za-z]{2,}/.test(text)) found.add(raw);
      }
      return [...found];
    },
    {
      names: NAMES,
      shapes: SHAPES.map(r => [r.source, r.flags] as [string, string]),
      upstream: [...UPSTREAM, ...ignore].map(
        r => [r.source, r.flags] as [string, string],
      ),
      data,
    },
  );
}

/** Waits for the page to settle (no progress bar), then expects no English in it. */
export async function expectNoEnglish(
  page: Page,
  where: string,
  data: string[] = [],
  ignore: RegExp[] = [],
) {
  // spinners and indeterminate bars gone (determinate bars, e.g. a job's progress, stay)
  await expect(
    page.locator('[role="progressbar"]:not([aria-valuenow])'),
  ).toHaveCount(0, { timeout: 30_000 });
  const left = await englishLeft(page, data, ignore);
  // soft: the walk goes on and lists every page's leftovers at the end
  expect.soft(left, `English text left on ${where}`).toEqual([]);
}
