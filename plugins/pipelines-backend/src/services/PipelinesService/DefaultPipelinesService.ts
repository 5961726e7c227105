import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterAuditService,
  ClusterRegistryService,
  KubernetesIdentityService,
} from '@kubemate/plugin-kubemate-node';
import { PipelineReader } from './PipelineReader';
import { RunActions } from './RunActions';
import { PipelinesService, RunRef, StartRun, UserCredentials } from './types';

export interface PipelinesServiceDeps {
  permissions: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  identity: KubernetesIdentityService;
  audit: ClusterAuditService;
  logger: LoggerService;
}

/**
 * Tekton pipelines of an entity across clusters, by concern: reading runs, Pipelines and step
 * logs as the portal within the user's scope ({@link PipelineReader}); starting, re-running and
 * cancelling as the user, authorized and audited ({@link RunActions}).
 */
export class DefaultPipelinesService implements PipelinesService {
  private readonly reader: PipelineReader;
  private readonly actions: RunActions;

  constructor(deps: PipelinesServiceDeps) {
    this.reader = new PipelineReader(deps);
    this.actions = new RunActions(deps);
  }

  runs(credentials: BackstageCredentials, entityRef: string) {
    return this.reader.runs(credentials, entityRef);
  }

  pipelines(credentials: BackstageCredentials, entityRef: string) {
    return this.reader.pipelines(credentials, entityRef);
  }

  stepLog(
    credentials: BackstageCredentials,
    ref: RunRef & { taskRun: string; step: string },
  ) {
    return this.reader.stepLog(credentials, ref);
  }

  start(credentials: UserCredentials, entityRef: string, request: StartRun) {
    return this.actions.start(credentials, entityRef, request);
  }

  rerun(credentials: UserCredentials, ref: RunRef) {
    return this.actions.rerun(credentials, ref);
  }

  cancel(credentials: UserCredentials, ref: RunRef) {
    return this.actions.cancel(credentials, ref);
  }
}
