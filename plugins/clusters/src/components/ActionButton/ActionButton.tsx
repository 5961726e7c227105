import { ReactNode } from 'react';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  ClustersObject,
  clustersObjectRef,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';

/**
 * A small outlined button gated by a permission on one Kubernetes object: disabled, with the
 * reason as tooltip, while the permission is loading or denied. The backend checks it again.
 */
export function ActionButton(props: {
  permission: ResourcePermission<typeof RESOURCE_TYPE_CLUSTERS_OBJECT>;
  /** The object the action is about. */
  object: ClustersObject;
  /** Visible text, e.g. "Scale". */
  label: string;
  /** Accessible name naming the object, e.g. "Scale payments-api". */
  ariaLabel: string;
  icon?: ReactNode;
  onClick: () => void;
}) {
  const { object } = props;
  return (
    <PermissionButton
      permission={props.permission}
      resourceRef={clustersObjectRef(object)}
      what={`${object.name ?? object.namespace} in ${object.cluster}/${
        object.namespace
      }`}
      size="small"
      variant="outlined"
      startIcon={props.icon}
      onClick={props.onClick}
      aria-label={props.ariaLabel}
    >
      {props.label}
    </PermissionButton>
  );
}
