import { request as httpsRequest } from 'node:https';
import { request as httpRequest, IncomingMessage } from 'node:http';
import {
  AppsV1Api,
  BatchV1Api,
  CustomObjectsApi,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PromiseHttpLibrary,
  RequestContext,
  ResponseContext,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
} from '@kubernetes/client-node';
import fetch, { Headers } from 'node-fetch';
import {
  ClusterDetails,
  KubeClients,
  KubernetesIdentity,
  RawRequestOptions,
} from '../services/ClusterRegistry/types';

/** Adds the impersonation headers (one header line per group). */
function impersonationHeaders(
  identity: KubernetesIdentity | undefined,
): Record<string, string | string[]> {
  if (!identity) {
    return {};
  }
  const headers: Record<string, string | string[]> = {
    'Impersonate-User': identity.user,
  };
  if (identity.groups.length > 0) {
    headers['Impersonate-Group'] = identity.groups;
  }
  return headers;
}

/**
 * The generated client keeps headers in a string map, which cannot carry several
 * `Impersonate-Group` lines; this HTTP library adds the impersonation headers itself.
 */
class ImpersonatingHttpLibrary implements PromiseHttpLibrary {
  constructor(private readonly identity: KubernetesIdentity) {}

  async send(request: RequestContext): Promise<ResponseContext> {
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.getHeaders())) {
      headers.set(key, value);
    }
    for (const [key, value] of Object.entries(
      impersonationHeaders(this.identity),
    )) {
      for (const v of Array.isArray(value) ? value : [value]) {
        headers.append(key, v);
      }
    }
    const resp = await fetch(request.getUrl(), {
      method: request.getHttpMethod().toString(),
      body: request.getBody() as any,
      headers,
      signal: request.getSignal() as any,
      agent: request.getAgent(),
    });
    const responseHeaders: Record<string, string> = {};
    resp.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return new ResponseContext(resp.status, responseHeaders, {
      text: () => resp.text(),
      binary: () => resp.buffer(),
    });
  }
}

export function makeKubeConfig(cluster: ClusterDetails): KubeConfig {
  const kc = new KubeConfig();
  const user = `portal@${cluster.name}`;
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        skipTLSVerify: cluster.skipTLSVerify,
      },
    ],
    users: [{ name: user, token: cluster.serviceAccountToken }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user }],
    currentContext: cluster.name,
  });
  return kc;
}

export function createKubeClients(
  cluster: ClusterDetails,
  kubeConfig: KubeConfig,
  identity?: KubernetesIdentity,
): KubeClients {
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration<{}>(cluster.url, {}),
    authMethods: { default: kubeConfig },
    ...(identity
      ? { httpApi: wrapHttpLibrary(new ImpersonatingHttpLibrary(identity)) }
      : {}),
  });
  const objects = new KubernetesObjectApi(configuration);
  return {
    cluster,
    impersonating: identity,
    kubeConfig,
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    batch: new BatchV1Api(configuration),
    custom: new CustomObjectsApi(configuration),
    objects,
    raw(options: RawRequestOptions) {
      return rawRequest(cluster, identity, options);
    },
  };
}

function rawRequest(
  cluster: ClusterDetails,
  identity: KubernetesIdentity | undefined,
  options: RawRequestOptions,
): Promise<IncomingMessage> {
  const url = new URL(options.path, cluster.url);
  const headers: Record<string, string | string[]> = {
    ...impersonationHeaders(identity),
  };
  if (cluster.serviceAccountToken) {
    headers.Authorization = `Bearer ${cluster.serviceAccountToken}`;
  }
  const requestFn = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = requestFn(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        signal: options.signal,
        ...(url.protocol === 'https:'
          ? {
              ca: cluster.caData
                ? Buffer.from(cluster.caData, 'base64').toString('utf8')
                : undefined,
              rejectUnauthorized: !cluster.skipTLSVerify,
            }
          : {}),
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}
