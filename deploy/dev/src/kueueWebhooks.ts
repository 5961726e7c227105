/*
 * Kueue's admission webhook configurations for a host-process Kueue (deploy/dev/servers/85-kueue.sh).
 *
 * Reads upstream's config/components/webhook/manifests.yaml (taken from the Go module at build time)
 * and prints the Mutating/ValidatingWebhookConfigurations rewritten for a manager that listens on
 * 127.0.0.1 instead of behind a Service:
 *
 *   - `clientConfig.service` becomes `clientConfig.url: <url><path>` with the local CA as `caBundle`;
 *   - only the webhooks of Kueue's own kinds (kueue.x-k8s.io) and of the job kinds given with
 *     --kind (e.g. `batch/jobs`) are kept: the Pod, Deployment, StatefulSet, ... webhooks would
 *     intercept every pod of the cluster, and the other frameworks' kinds are not integrated;
 *   - the job kinds' webhooks get an objectSelector requiring the label kueue.x-k8s.io/queue-name,
 *     so objects that are not Kueue's (the seed's CronJob Jobs, Tekton, ...) are never sent to Kueue
 *     and never blocked while it is down;
 *   - the configurations are named `<prefix><upstream name>` (as upstream's kustomization does).
 *
 *   node deploy/dev/src/kueueWebhooks.ts --manifests <manifests.yaml> --url https://127.0.0.1:<port> \
 *     --ca-file <ca.crt> --kind batch/jobs [--kind kubeflow.org/pytorchjobs] [--prefix kueue-]
 *
 * Prints the YAML documents on stdout (for `kubectl apply -f -`). Exits 1 with a message when the
 * manifests hold none of the requested webhooks (an upstream layout change must not pass silently).
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';

const KUEUE_GROUP = 'kueue.x-k8s.io';
const QUEUE_NAME_LABEL = 'kueue.x-k8s.io/queue-name';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
}
interface Webhook {
  name: string;
  clientConfig: {
    service?: { path?: string };
    url?: string;
    caBundle?: string;
  };
  rules?: Rule[];
  objectSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  [key: string]: unknown;
}
interface WebhookConfiguration {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: unknown };
  webhooks?: Webhook[];
}

function flag(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === `--${name}` && process.argv[i + 1] !== undefined)
      out.push(process.argv[i + 1]);
  });
  return out;
}

function required(name: string): string {
  const v = flag(name)[0];
  if (!v) throw new Error(`--${name} is required`);
  return v;
}

/** `group/resource` ('' group: the core API) */
function ruleKinds(webhook: Webhook): string[] {
  return (webhook.rules ?? []).flatMap(r =>
    (r.apiGroups ?? ['']).flatMap(g =>
      (r.resources ?? []).map(res => `${g}/${res}`),
    ),
  );
}

export interface WebhookRewrite {
  /** the manager's webhook server, e.g. https://127.0.0.1:9310 */
  url: string;
  /** base64 of the CA that signed its serving certificate */
  caBundle: string;
  /** the job kinds (`<group>/<resource>`) whose webhooks are kept, e.g. batch/jobs */
  jobKinds: string[];
  /** prefix of the configurations' names (upstream's kustomization uses `kueue-`) */
  prefix: string;
}

/**
 * Upstream's webhook manifests (YAML text) rewritten for a manager on `url`: the configurations to
 * apply, as YAML text. Throws when the manifests hold none of the requested webhooks.
 */
export function rewriteWebhooks(
  manifests: string,
  opts: WebhookRewrite,
): string {
  const jobKinds = new Set(opts.jobKinds);
  if (jobKinds.size === 0) throw new Error('at least one job kind is required');
  const url = opts.url.replace(/\/+$/, '');
  const docs = parseAllDocuments(manifests)
    .map(d => d.toJS() as WebhookConfiguration | null)
    .filter((d): d is WebhookConfiguration => !!d?.kind);
  const seen = new Set<string>();
  const out: WebhookConfiguration[] = [];
  for (const doc of docs) {
    if (
      doc.kind !== 'MutatingWebhookConfiguration' &&
      doc.kind !== 'ValidatingWebhookConfiguration'
    )
      continue;
    const webhooks: Webhook[] = [];
    for (const wh of doc.webhooks ?? []) {
      const kinds = ruleKinds(wh);
      const kueueOwn = kinds.every(k => k.startsWith(`${KUEUE_GROUP}/`));
      const job = kinds.some(k => jobKinds.has(k));
      if (kinds.length === 0 || (!kueueOwn && !job)) continue;
      const path = wh.clientConfig.service?.path;
      if (!path) throw new Error(`webhook ${wh.name} has no service path`);
      kinds.forEach(k => seen.add(k));
      const rewritten: Webhook = {
        ...wh,
        clientConfig: { url: `${url}${path}`, caBundle: opts.caBundle },
      };
      if (job) {
        rewritten.objectSelector = {
          ...wh.objectSelector,
          matchExpressions: [
            ...(wh.objectSelector?.matchExpressions ?? []),
            { key: QUEUE_NAME_LABEL, operator: 'Exists' },
          ],
        };
      }
      webhooks.push(rewritten);
    }
    if (webhooks.length === 0) continue;
    out.push({
      ...doc,
      metadata: { ...doc.metadata, name: `${opts.prefix}${doc.metadata.name}` },
      webhooks,
    });
  }
  const missing = [...jobKinds, `${KUEUE_GROUP}/clusterqueues`].filter(
    k => !seen.has(k),
  );
  if (missing.length > 0)
    throw new Error(
      `no webhook for ${missing.join(', ')} (did upstream's layout change?)`,
    );
  return out.map(d => `---\n${stringify(d)}`).join('');
}

if (/[\\/]kueueWebhooks\.ts$/.test(process.argv[1] ?? '')) {
  try {
    const manifests = required('manifests');
    process.stdout.write(
      rewriteWebhooks(readFileSync(manifests, 'utf8'), {
        url: required('url'),
        caBundle: readFileSync(required('ca-file')).toString('base64'),
        jobKinds: flag('kind'),
        prefix: flag('prefix')[0] ?? 'kueue-',
      }),
    );
  } catch (e) {
    process.stderr.write(`kueueWebhooks: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
