/*
 * The Kubeflow Training Operator's ValidatingWebhookConfiguration for a host-process operator
 * (deploy/dev/servers/86-training-operator.sh).
 *
 * Reads upstream's manifests/base/webhook/manifests.yaml (taken from the Go module at build time) and
 * prints the configuration rewritten for an operator that listens on 127.0.0.1 instead of behind a
 * Service:
 *
 *   - named `validator.training-operator.kubeflow.org`, as upstream's kustomize patch does: the
 *     operator's cert rotator injects its CA into the configuration of that name;
 *   - only the webhooks of the enabled kinds (--kind, e.g. `kubeflow.org/pytorchjobs`) are kept: the
 *     operator registers no handler for the others, whose calls would fail;
 *   - `clientConfig.service` becomes `clientConfig.url: <url><path>` with the local CA as `caBundle`;
 *   - `failurePolicy: Ignore` and a short timeout: the webhooks only validate, and a stopped operator
 *     (the part `finetuning` is down, the kueue tests run alone) must not block PyTorchJobs.
 *
 *   node deploy/dev/src/trainingOperatorWebhooks.ts --manifests <manifests.yaml> \
 *     --url https://127.0.0.1:<port> --ca-file <ca.crt> --kind kubeflow.org/pytorchjobs
 *
 * Prints the YAML document on stdout (for `kubectl apply -f -`). Exits 1 with a message when the
 * manifests hold no webhook for a requested kind (an upstream layout change must not pass silently).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';

/** the name cmd/training-operator.v1 gives its cert rotator (webhookConfigurationName) */
export const TRAINING_OPERATOR_WEBHOOK_CONFIGURATION =
  'validator.training-operator.kubeflow.org';
const TIMEOUT_SECONDS = 5;

interface Webhook {
  name: string;
  clientConfig: {
    service?: { path?: string };
    url?: string;
    caBundle?: string;
  };
  rules?: { apiGroups?: string[]; resources?: string[] }[];
  [key: string]: unknown;
}

export interface TrainingOperatorWebhookOptions {
  /** the operator's webhook server, e.g. https://127.0.0.1:9320 */
  url: string;
  /** base64 of the CA that signed its serving certificate */
  caBundle: string;
  /** `<group>/<resource>` of the enabled schemes, e.g. kubeflow.org/pytorchjobs */
  kinds: string[];
}

/** Upstream's webhook manifests (YAML text) rewritten for an operator on `url`, as YAML text. */
export function rewriteTrainingOperatorWebhooks(
  manifests: string,
  opts: TrainingOperatorWebhookOptions,
): string {
  const kinds = new Set(opts.kinds);
  if (kinds.size === 0) throw new Error('at least one kind is required');
  const url = opts.url.replace(/\/+$/, '');
  const seen = new Set<string>();
  const webhooks: Webhook[] = [];
  for (const doc of parseAllDocuments(manifests)) {
    const d = doc.toJS() as { kind?: string; webhooks?: Webhook[] } | null;
    if (d?.kind !== 'ValidatingWebhookConfiguration') continue;
    for (const wh of d.webhooks ?? []) {
      const whKinds = (wh.rules ?? []).flatMap(r =>
        (r.apiGroups ?? ['']).flatMap(g =>
          (r.resources ?? []).map(res => `${g}/${res}`),
        ),
      );
      if (!whKinds.some(k => kinds.has(k))) continue;
      const path = wh.clientConfig.service?.path;
      if (!path) throw new Error(`webhook ${wh.name} has no service path`);
      whKinds.forEach(k => seen.add(k));
      webhooks.push({
        ...wh,
        clientConfig: { url: `${url}${path}`, caBundle: opts.caBundle },
        failurePolicy: 'Ignore',
        timeoutSeconds: TIMEOUT_SECONDS,
      });
    }
  }
  const missing = [...kinds].filter(k => !seen.has(k));
  if (missing.length > 0)
    throw new Error(
      `no webhook for ${missing.join(', ')} (did upstream's layout change?)`,
    );
  return `---\n${stringify({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: {
      name: TRAINING_OPERATOR_WEBHOOK_CONFIGURATION,
      labels: { 'control-plane': 'kubeflow-training-operator' },
    },
    webhooks,
  })}`;
}

if (/[\\/]trainingOperatorWebhooks\.ts$/.test(process.argv[1] ?? '')) {
  try {
    const { values } = parseArgs({
      options: {
        manifests: { type: 'string' },
        url: { type: 'string' },
        'ca-file': { type: 'string' },
        kind: { type: 'string', multiple: true },
      },
    });
    if (!values.manifests || !values.url || !values['ca-file'])
      throw new Error('--manifests, --url and --ca-file are required');
    process.stdout.write(
      rewriteTrainingOperatorWebhooks(readFileSync(values.manifests, 'utf8'), {
        url: values.url,
        caBundle: readFileSync(values['ca-file']).toString('base64'),
        kinds: values.kind ?? [],
      }),
    );
  } catch (e) {
    process.stderr.write(`trainingOperatorWebhooks: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
