import { Button, Tooltip } from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  ragCollectionCreatePermission,
  ragNewCollectionResourceRef,
} from '@kubemate/plugin-rag-common';
import type { OwnerTeam } from '../../hooks';
import { useRagTranslation } from '../../hooks/useRagTranslation';

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
  const { t } = useRagTranslation();
  const common = {
    variant: 'contained' as const,
    color: 'primary' as const,
    startIcon: <AddIcon />,
    'data-testid': 'rag-new-collection',
  };
  if (!loading && teams && teams.length === 0) {
    return (
      <Tooltip title={t('collections.noTeam')}>
        <span>
          <Button {...common} disabled>
            {t('collections.newCollection')}
          </Button>
        </span>
      </Tooltip>
    );
  }
  const team = teams?.find(x => x.allowed) ?? teams?.[0];
  return (
    <PermissionButton
      {...common}
      permission={ragCollectionCreatePermission}
      resourceRef={team ? ragNewCollectionResourceRef(team.ref) : undefined}
      what={team ? t('collections.ownedBy', { team: team.ref }) : undefined}
      disabled={!team}
      disabledReason={t('collections.readingTeams')}
      onClick={onClick}
    >
      {t('collections.newCollection')}
    </PermissionButton>
  );
}
