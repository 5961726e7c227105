import { ReactNode } from 'react';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  ClustersObject,
  clustersObjectRef,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';
import { clustersTranslationRef } from '../../translation';

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
  const { t } = useTranslationRef(clustersTranslationRef);
  return (
    <PermissionButton
      permission={props.permission}
      resourceRef={clustersObjectRef(object)}
      what={t('actions.what', {
        name: object.name ?? object.namespace,
        cluster: object.cluster,
        namespace: object.namespace,
      })}
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
