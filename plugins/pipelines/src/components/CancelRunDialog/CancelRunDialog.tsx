import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import type { PipelineRunSummary } from '@kubemate/plugin-pipelines-common';

/** Asks before cancelling a run (it cannot be resumed). Open while `run` is set. */
export function CancelRunDialog(props: {
  run?: PipelineRunSummary;
  onClose: () => void;
  onConfirm: (run: PipelineRunSummary) => void;
}) {
  const { run, onClose, onConfirm } = props;
  return (
    <Dialog open={Boolean(run)} onClose={onClose}>
      <DialogTitle>Cancel {run?.name}?</DialogTitle>
      <DialogContent>
        <Typography>
          Tekton stops the run's tasks; the run ends as Cancelled and cannot be
          resumed (re-run it to start again).
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Keep running</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={() => {
            const r = run!;
            onClose();
            onConfirm(r);
          }}
        >
          Cancel run
        </Button>
      </DialogActions>
    </Dialog>
  );
}
