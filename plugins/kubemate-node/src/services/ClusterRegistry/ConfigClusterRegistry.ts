import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { createKubeClients, makeKubeConfig } from '../../lib/kubeClients';
import {
  ClusterDetails,
  ClusterRegistryService,
  KubeClients,
  KubernetesIdentity,
} from './types';

/** Reads the clusters of `kubernetes.clusterLocatorMethods` entries of type `config`. */
export function readClustersFromConfig(config: Config): ClusterDetails[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const clusters: ClusterDetails[] = [];
  for (const method of methods) {
    if (method.getString('type') !== 'config') {
      continue;
    }
    for (const c of method.getOptionalConfigArray('clusters') ?? []) {
      const caFile = c.getOptionalString('caFile');
      clusters.push({
        name: c.getString('name'),
        url: c.getString('url'),
        caData:
          c.getOptionalString('caData') ??
          (caFile ? readFileSync(caFile).toString('base64') : undefined),
        serviceAccountToken: c.getOptionalString('serviceAccountToken'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
      });
    }
  }
  return clusters;
}

export class ConfigClusterRegistry implements ClusterRegistryService {
  private readonly byName: Map<string, ClusterDetails>;
  private readonly kubeConfigs = new Map<string, KubeConfig>();
  private readonly portal = new Map<string, KubeClients>();

  static fromConfig(config: Config): ConfigClusterRegistry {
    return new ConfigClusterRegistry(readClustersFromConfig(config));
  }

  constructor(clusters: ClusterDetails[]) {
    this.byName = new Map(clusters.map(c => [c.name, c]));
  }

  listClusters(): ClusterDetails[] {
    return [...this.byName.values()];
  }

  getCluster(name: string): ClusterDetails {
    const cluster = this.byName.get(name);
    if (!cluster) {
      throw new NotFoundError(`Unknown cluster '${name}'`);
    }
    return cluster;
  }

  private kubeConfig(name: string): KubeConfig {
    let kc = this.kubeConfigs.get(name);
    if (!kc) {
      kc = makeKubeConfig(this.getCluster(name));
      this.kubeConfigs.set(name, kc);
    }
    return kc;
  }

  portalClients(name: string): KubeClients {
    let clients = this.portal.get(name);
    if (!clients) {
      clients = createKubeClients(this.getCluster(name), this.kubeConfig(name));
      this.portal.set(name, clients);
    }
    return clients;
  }

  clientsAs(name: string, identity: KubernetesIdentity): KubeClients {
    return createKubeClients(
      this.getCluster(name),
      this.kubeConfig(name),
      identity,
    );
  }
}
