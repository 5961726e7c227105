import {
  AppsV1Api,
  BatchV1Api,
  CustomObjectsApi,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import type { IncomingMessage } from 'node:http';

/** A cluster from `kubernetes.clusterLocatorMethods` (type `config`). */
export interface ClusterDetails {
  name: string;
  url: string;
  /** Base64 PEM of the cluster CA. */
  caData?: string;
  /** The portal's own token (authProvider `serviceAccount`). */
  serviceAccountToken?: string;
  skipTLSVerify: boolean;
}

/** A Kubernetes identity the portal impersonates. */
export interface KubernetesIdentity {
  user: string;
  groups: string[];
}

export interface RawRequestOptions {
  method?: string;
  /** Path with query string, e.g. `/api/v1/namespaces/x/pods/y/log?follow=true`. */
  path: string;
  signal?: AbortSignal;
}

/** API clients for one cluster, acting either as the portal or as an impersonated user. */
export interface KubeClients {
  cluster: ClusterDetails;
  /** Who the requests are made as; undefined for the portal itself. */
  impersonating?: KubernetesIdentity;
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  batch: BatchV1Api;
  /** Custom resources (CRDs such as Tekton's). */
  custom: CustomObjectsApi;
  objects: KubernetesObjectApi;
  /** A raw streaming request (used for following logs). Resolves once the status line arrived. */
  raw(options: RawRequestOptions): Promise<IncomingMessage>;
}

/** The clusters the portal knows and clients for them. */
export interface ClusterRegistryService {
  listClusters(): ClusterDetails[];
  /** Throws NotFoundError for an unknown cluster. */
  getCluster(name: string): ClusterDetails;
  /** Clients acting as the portal's own identity (read everything, impersonate). */
  portalClients(name: string): KubeClients;
  /** Clients acting as the given identity (Impersonate-User / Impersonate-Group headers). */
  clientsAs(name: string, identity: KubernetesIdentity): KubeClients;
}
