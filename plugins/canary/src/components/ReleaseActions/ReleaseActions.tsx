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

const GATE_LABEL: Record<UserGate, string> = {
  'confirm-rollout': 'rollout',
  'confirm-promotion': 'promotion',
};

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
  const resourceRef = canaryRef(r);
  const what = keyOf(r);
  const started = STARTED_PHASES.includes(r.phase);
  const rollbackDeclared = r.gates.some(
    g => g.type === 'rollback' && g.declared,
  );
  let abortReason = '';
  if (!rollbackDeclared) {
    abortReason = `${r.name} declares no rollback webhook pointing at the portal (/api/canary/gates/${r.cluster}/rollback): add one to abort from here`;
  } else if (!ABORTABLE_PHASES.includes(r.phase)) {
    abortReason = `${r.name} is ${r.phase}: Flagger rolls back only a release that is Progressing or WaitingPromotion`;
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
        disabledReason={`A release of ${r.name} is running (${r.phase}): wait for it or abort it`}
        onClick={onStart}
      >
        Start canary
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
              Hold {GATE_LABEL[g.type]}
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
              Approve {GATE_LABEL[g.type]}
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
          disabledReason={`${r.name} is ${r.phase}: there is no analysis to skip`}
          onClick={() => setConfirm('promote')}
        >
          Promote now
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
          Abort
        </PermissionButton>
      </Box>
      <Dialog open={Boolean(confirm)} onClose={() => setConfirm(undefined)}>
        <DialogTitle>
          {confirm === 'promote' ? 'Promote' : 'Abort'} {r.name}?
        </DialogTitle>
        <DialogContent>
          <Typography>
            {confirm === 'promote'
              ? 'Flagger skips the rest of the analysis and promotes the canary at its next check.'
              : 'Flagger rolls the canary back at its next check: all traffic returns to the primary.'}
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(undefined)}>Cancel</Button>
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
            {confirm === 'promote' ? 'Promote now' : 'Abort and roll back'}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
