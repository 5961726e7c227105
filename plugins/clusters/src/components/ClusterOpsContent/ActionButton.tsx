import { ReactNode } from 'react';
import { Button, Tooltip } from '@material-ui/core';
import { usePermission } from '@backstage/plugin-permission-react';
import type { ResourcePermission } from '@backstage/plugin-permission-common';

/**
 * A button gated by a resource permission on the entity: disabled, with the reason as tooltip,
 * while the permission is loading or denied. The backend checks the permission again.
 */
export function ActionButton(props: {
  permission: ResourcePermission<'catalog-entity'>;
  entityRef: string;
  /** Visible text, e.g. "Scale". */
  label: string;
  /** Accessible name naming the object, e.g. "Scale payments-api". */
  ariaLabel: string;
  icon?: ReactNode;
  onClick: () => void;
  busy?: boolean;
}) {
  const { allowed, loading } = usePermission({
    permission: props.permission,
    resourceRef: props.entityRef,
  });
  const disabled = loading || !allowed || props.busy;
  let reason = '';
  if (loading) {
    reason = 'Checking your permissions…';
  } else if (!allowed) {
    reason = `You do not have the permission ${props.permission.name} on this component`;
  }
  const button = (
    <Button
      size="small"
      variant="outlined"
      startIcon={props.icon}
      disabled={disabled}
      onClick={props.onClick}
      aria-label={props.ariaLabel}
    >
      {props.label}
    </Button>
  );
  return reason ? (
    <Tooltip title={reason}>
      {/* a span, so the tooltip also shows on a disabled button */}
      <span>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}
