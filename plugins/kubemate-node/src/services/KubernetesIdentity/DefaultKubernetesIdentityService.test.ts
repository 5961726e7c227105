import { ConfigReader } from '@backstage/config';
import {
  identityMappingOptionsFromConfig,
  mapBackstageUser,
} from './DefaultKubernetesIdentityService';

describe('mapBackstageUser', () => {
  it('maps the user and its groups with the default prefixes', () => {
    const options = identityMappingOptionsFromConfig(new ConfigReader({}));
    expect(
      mapBackstageUser(
        {
          userEntityRef: 'user:default/alice',
          ownershipEntityRefs: [
            'user:default/alice',
            'group:default/team-payments',
            'group:partners/acme',
          ],
        },
        options,
      ),
    ).toEqual({
      user: 'kubemate:user:alice',
      groups: ['kubemate:group:partners/acme', 'kubemate:group:team-payments'],
    });
  });

  it('honours configured prefixes and extra groups', () => {
    const options = identityMappingOptionsFromConfig(
      new ConfigReader({
        kubemate: {
          kubernetes: {
            identity: {
              userPrefix: 'oidc:',
              groupPrefix: 'oidc:',
              extraGroups: ['kubemate:viewers'],
            },
          },
        },
      }),
    );
    expect(
      mapBackstageUser(
        {
          userEntityRef: 'user:default/bob',
          ownershipEntityRefs: ['group:default/team-risk'],
        },
        options,
      ),
    ).toEqual({
      user: 'oidc:bob',
      groups: ['kubemate:viewers', 'oidc:team-risk'],
    });
  });
});
