import { useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  canaryReleaseAbortPermission,
  canaryReleaseApprovePermission,
  canaryReleaseStartPermission,
  GateState,
  ReleaseSummary,
} from '@kubemate/plugin-canary-common';
import type { UserGate } from '../../api/CanaryApi';
import {
  ABORTABLE_PHASES,
  canaryRef,
  keyOf,
  PROMOTABLE_PHASES,
  STARTED_PHASES,
} from '../../lib/releases';
import { canaryTranslationRef } from '../../translation';

/**
 * The actions on a release, each gated by its permission on the Canary (disabled with the
 * reason when denied) and by the release's state.
 */
export function ReleaseActions(props: {
  release: ReleaseSummary;
  onStart: () => void;
  onApprove: (gate: UserGate) => void;
  onHold: (gate: UserGate) => void;
  onPromote: () => void;
  onAbort: () => void;
}) {
  const { release: r, onStart, onApprove, onHold, onPromote, onAbort } = props;
  const [confirm, setConfirm] = useState<'promote' | 'abort'>();
  const { t } = useTranslationRef(canaryTranslationRef);
  const phase = t(`phases.${r.phase}`);
  const resourceRef = canaryRef(r);
  const what = keyOf(r);
  const started = STARTED_PHASES.includes(r.phase);
  const rollbackDeclared = r.gates.some(
    g => g.type === 'rollback' && g.declared,
  );
  let abortReason = '';
  if (!rollbackDeclared) {
    abortReason = t('actions.abortNoWebhook', {
      name: r.name,
      path: `/api/canary/gates/${r.cluster}/rollback`,
    });
  } else if (!ABORTABLE_PHASES.includes(r.phase)) {
    abortReason = t('actions.abortPhase', { name: r.name, phase });
  }
  const userGates = r.gates.filter(
    (g): g is GateState & { type: UserGate } =>
      g.declared && g.type !== 'rollback',
  );

  return (
    <Box display="flex" flexWrap="wrap" alignItems="center">
      <PermissionButton
        permission={canaryReleaseStartPermission}
        resourceRef={resourceRef}
        what={what}
        color="primary"
        variant="contained"
        disabled={started}
        disabledReason={t('actions.startRunning', { name: r.name, phase })}
        onClick={onStart}
      >
        {t('common.startCanary')}
      </PermissionButton>
      {userGates.map(g => (
        <Box key={g.type} ml={1}>
          {g.open ? (
            <PermissionButton
              permission={canaryReleaseApprovePermission}
              resourceRef={resourceRef}
              what={what}
              variant="outlined"
              onClick={() => onHold(g.type)}
            >
              {t(`actions.hold.${g.type}`)}
            </PermissionButton>
          ) : (
            <PermissionButton
              permission={canaryReleaseApprovePermission}
              resourceRef={resourceRef}
              what={what}
              variant="outlined"
              color="primary"
              onClick={() => onApprove(g.type)}
            >
              {t(`actions.approve.${g.type}`)}
            </PermissionButton>
          )}
        </Box>
      ))}
      <Box ml={1}>
        <PermissionButton
          permission={canaryReleaseApprovePermission}
          resourceRef={resourceRef}
          what={what}
          variant="outlined"
          disabled={!PROMOTABLE_PHASES.includes(r.phase)}
          disabledReason={t('actions.promoteUnavailable', {
            name: r.name,
            phase,
          })}
          onClick={() => setConfirm('promote')}
        >
          {t('actions.promoteNow')}
        </PermissionButton>
      </Box>
      <Box ml={1}>
        <PermissionButton
          permission={canaryReleaseAbortPermission}
          resourceRef={resourceRef}
          what={what}
          variant="outlined"
          disabled={Boolean(abortReason)}
          disabledReason={abortReason}
          onClick={() => setConfirm('abort')}
        >
          {t('actions.abort')}
        </PermissionButton>
      </Box>
      <Dialog open={Boolean(confirm)} onClose={() => setConfirm(undefined)}>
        <DialogTitle>
          {confirm === 'promote'
            ? t('actions.confirmPromoteTitle', { name: r.name })
            : t('actions.confirmAbortTitle', { name: r.name })}
        </DialogTitle>
        <DialogContent>
          <Typography>
            {confirm === 'promote'
              ? t('actions.confirmPromoteText')
              : t('actions.confirmAbortText')}
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(undefined)}>
            {t('common.cancel')}
          </Button>
          <Button
            color="primary"
            variant="contained"
            onClick={() => {
              const c = confirm;
              setConfirm(undefined);
              if (c === 'promote') onPromote();
              else onAbort();
            }}
          >
            {confirm === 'promote'
              ? t('actions.promoteNow')
              : t('actions.abortAndRollBack')}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
