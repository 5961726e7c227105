import {
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { KubernetesIdentity } from '../ClusterRegistry/types';
import { KubernetesIdentityService } from './types';

export const DEFAULT_USER_PREFIX = 'kubemate:user:';
export const DEFAULT_GROUP_PREFIX = 'kubemate:group:';

export interface IdentityMappingOptions {
  userPrefix: string;
  groupPrefix: string;
  extraGroups: string[];
}

export function identityMappingOptionsFromConfig(
  config: Config,
): IdentityMappingOptions {
  const c = config.getOptionalConfig('kubemate.kubernetes.identity');
  return {
    userPrefix: c?.getOptionalString('userPrefix') ?? DEFAULT_USER_PREFIX,
    groupPrefix: c?.getOptionalString('groupPrefix') ?? DEFAULT_GROUP_PREFIX,
    extraGroups: c?.getOptionalStringArray('extraGroups') ?? [],
  };
}

function shortName(ref: string): string {
  const { namespace, name } = parseEntityRef(ref);
  return namespace.toLocaleLowerCase('en-US') === 'default'
    ? name
    : `${namespace}/${name}`;
}

/** Maps `user:default/alice` + `group:default/team-payments` to `kubemate:user:alice` + `kubemate:group:team-payments`. */
export function mapBackstageUser(
  info: { userEntityRef: string; ownershipEntityRefs: string[] },
  options: IdentityMappingOptions,
): KubernetesIdentity {
  const groups = new Set<string>();
  for (const ref of info.ownershipEntityRefs) {
    let kind: string;
    try {
      kind = parseEntityRef(ref).kind.toLocaleLowerCase('en-US');
    } catch {
      continue;
    }
    if (kind === 'group') {
      groups.add(`${options.groupPrefix}${shortName(ref)}`);
    }
  }
  for (const g of options.extraGroups) {
    groups.add(g);
  }
  return {
    user: `${options.userPrefix}${shortName(info.userEntityRef)}`,
    groups: [...groups].sort(),
  };
}

export class DefaultKubernetesIdentityService
  implements KubernetesIdentityService
{
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly options: IdentityMappingOptions,
  ) {}

  mapUser(info: {
    userEntityRef: string;
    ownershipEntityRefs: string[];
  }): KubernetesIdentity {
    return mapBackstageUser(info, this.options);
  }

  async forCredentials(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<KubernetesIdentity> {
    const info = await this.userInfo.getUserInfo(credentials);
    return this.mapUser(info);
  }
}
