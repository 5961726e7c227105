import { ReactNode } from 'react';
import { Button, ButtonProps, Tooltip } from '@material-ui/core';
import {
  PermissionGateOptions,
  usePermissionGate,
} from '../../hooks/usePermissionGate';

/** Props of {@link PermissionButton}: MUI button props plus the permission to check. */
export type PermissionButtonProps = ButtonProps &
  PermissionGateOptions & {
    /** Tooltip when the button is allowed but disabled by the caller (`disabled`). */
    disabledReason?: string;
    children?: ReactNode;
  };

/**
 * A MUI button that is disabled while the permission is being checked or when it is denied,
 * with the reason in a tooltip. The caller can disable it too (`disabled`, with `disabledReason`).
 */
export function PermissionButton(props: PermissionButtonProps) {
  const {
    permission,
    resourceRef,
    what,
    disabled,
    disabledReason,
    children,
    ...buttonProps
  } = props;
  const gate = usePermissionGate({ permission, resourceRef, what });
  const reason = gate.reason || (disabled ? disabledReason ?? '' : '');
  return (
    // The tooltip sits on a span: a disabled button fires no mouse events. With an empty title
    // MUI shows no tooltip, and the element structure stays the same when the reason changes.
    <Tooltip title={reason}>
      <span style={{ display: 'inline-block' }}>
        <Button {...buttonProps} disabled={!gate.allowed || Boolean(disabled)}>
          {children}
        </Button>
      </span>
    </Tooltip>
  );
}
