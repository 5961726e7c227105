import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { KubernetesIdentity } from '../ClusterRegistry/types';

/** Maps signed-in Backstage users to the Kubernetes identity the portal impersonates. */
export interface KubernetesIdentityService {
  /** Pure mapping of a user ref and its ownership refs. */
  mapUser(info: {
    userEntityRef: string;
    ownershipEntityRefs: string[];
  }): KubernetesIdentity;
  /** Looks the user's ownership refs up (user info service) and maps them. */
  forCredentials(
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ): Promise<KubernetesIdentity>;
}
