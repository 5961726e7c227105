import { Button, Tooltip } from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  ragCollectionCreatePermission,
  ragNewCollectionResourceRef,
} from '@kubemate/plugin-rag-common';
import type { OwnerTeam } from '../../hooks';

/** Said when the user belongs to no team: a knowledge base is owned by one. */
export const NO_TEAM =
  'You belong to no team: a knowledge base is owned by one of your teams';

/**
 * New knowledge base: rag.collection.create checked for a knowledge base owned by one of the
 * user's teams (the first it may create one for), so it is enabled when any team allows it.
 */
export function NewCollectionButton(props: {
  teams?: OwnerTeam[];
  loading: boolean;
  onClick: () => void;
}) {
  const { teams, loading, onClick } = props;
  const common = {
    variant: 'contained' as const,
    color: 'primary' as const,
    startIcon: <AddIcon />,
    'data-testid': 'rag-new-collection',
  };
  if (!loading && teams && teams.length === 0) {
    return (
      <Tooltip title={NO_TEAM}>
        <span>
          <Button {...common} disabled>
            New knowledge base
          </Button>
        </span>
      </Tooltip>
    );
  }
  const team = teams?.find(t => t.allowed) ?? teams?.[0];
  return (
    <PermissionButton
      {...common}
      permission={ragCollectionCreatePermission}
      resourceRef={team ? ragNewCollectionResourceRef(team.ref) : undefined}
      what={team ? `a knowledge base owned by ${team.ref}` : undefined}
      disabled={!team}
      disabledReason="Reading your teams…"
      onClick={onClick}
    >
      New knowledge base
    </PermissionButton>
  );
}
