import { useEffect, useMemo, useState } from 'react';
import {
  Box,
  Button,
  IconButton,
  MenuItem,
  Slider,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import DeleteIcon from '@material-ui/icons/Delete';
import { InfoCard } from '@backstage/core-components';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  canaryTrafficUpdatePermission,
  GrayRelease,
  HeaderMatch,
  TrafficRule,
  TrafficUpdateRequest,
  TrafficUpdateResponse,
} from '@kubemate/plugin-canary-common';
import {
  editableOf,
  emptyMatch,
  keyOf,
  routeRef,
  trafficProblem,
} from '../../lib/releases';

type Backend = { service: string; weight: number };

function RuleEditor(props: {
  index: number;
  rule: TrafficRule;
  services: string[];
  readOnly: boolean;
  onChange: (rule: TrafficRule) => void;
  onRemove: () => void;
}) {
  const { index, rule, services, readOnly, onChange, onRemove } = props;
  const setMatch = (i: number, m: Partial<HeaderMatch>) =>
    onChange({
      ...rule,
      match: rule.match.map((x, j) => (j === i ? { ...x, ...m } : x)),
    });
  return (
    <Box
      border={1}
      borderColor="divider"
      borderRadius={4}
      p={1}
      mb={1}
      aria-label={`Rule ${index + 1}`}
      role="group"
    >
      {rule.match.map((m, i) => (
        <Box key={i} display="flex" alignItems="center">
          <TextField
            label="Header"
            value={m.header}
            disabled={readOnly}
            onChange={e => setMatch(i, { header: e.target.value })}
            margin="dense"
            inputProps={{ 'aria-label': `Rule ${index + 1} header ${i + 1}` }}
          />
          <Box mx={1}>
            <TextField
              select
              label="Match"
              value={m.type}
              disabled={readOnly}
              onChange={e =>
                setMatch(i, { type: e.target.value as HeaderMatch['type'] })
              }
              margin="dense"
            >
              <MenuItem value="Exact">equals</MenuItem>
              <MenuItem value="RegularExpression">matches regex</MenuItem>
            </TextField>
          </Box>
          <TextField
            label="Value"
            value={m.value}
            disabled={readOnly}
            onChange={e => setMatch(i, { value: e.target.value })}
            margin="dense"
            inputProps={{ 'aria-label': `Rule ${index + 1} value ${i + 1}` }}
          />
          {!readOnly && rule.match.length > 1 && (
            <IconButton
              size="small"
              aria-label={`Remove match ${i + 1} of rule ${index + 1}`}
              onClick={() =>
                onChange({
                  ...rule,
                  match: rule.match.filter((_, j) => j !== i),
                })
              }
            >
              <DeleteIcon fontSize="small" />
            </IconButton>
          )}
        </Box>
      ))}
      <Box display="flex" alignItems="center">
        <Typography variant="body2">→ all to</Typography>
        <Box mx={1} minWidth={160}>
          <TextField
            select
            label="Service"
            value={rule.service}
            disabled={readOnly}
            onChange={e => onChange({ ...rule, service: e.target.value })}
            margin="dense"
            fullWidth
          >
            {services.map(s => (
              <MenuItem key={s} value={s}>
                {s}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        {!readOnly && (
          <>
            <Button
              size="small"
              onClick={() =>
                onChange({ ...rule, match: [...rule.match, emptyMatch()] })
              }
            >
              And header
            </Button>
            <Button size="small" onClick={onRemove}>
              Remove rule
            </Button>
          </>
        )}
      </Box>
    </Box>
  );
}

/**
 * A gray release's editor: a slider (and number) per backend Deployment — the weights must sum
 * to 100, the sum is shown and an edit that does not is refused — header rules sending matching
 * requests to one backend, and the diff the backend computes (dry run) before "Apply".
 */
export function GrayReleaseEditor(props: {
  release: GrayRelease;
  onPreview: (body: TrafficUpdateRequest) => Promise<TrafficUpdateResponse>;
  onApply: (body: TrafficUpdateRequest) => Promise<TrafficUpdateResponse>;
}) {
  const { release, onPreview, onApply } = props;
  const readOnly = Boolean(release.managedBy);
  const initial = useMemo(() => editableOf(release), [release]);
  const [backends, setBackends] = useState<Backend[]>(initial.backends);
  const [rules, setRules] = useState<TrafficRule[]>(initial.rules);
  const [preview, setPreview] = useState<{
    key: string;
    result: TrafficUpdateResponse;
  }>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  // a new version of the route from the backend resets the editor (after an apply, or a poll
  // while nothing was edited)
  const initialKey = JSON.stringify(initial);
  useEffect(() => {
    setBackends(initial.backends);
    setRules(initial.rules);
    setPreview(undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initialKey]);

  const sum = backends.reduce((s, b) => s + b.weight, 0);
  const initialSum = initial.backends.reduce((s, b) => s + b.weight, 0);
  const problem = trafficProblem(backends, rules);
  const body: TrafficUpdateRequest = {
    backends,
    rules,
  };
  const editKey = JSON.stringify(body);
  const changed = editKey !== initialKey;
  const previewed = preview?.key === editKey;
  const services = backends.map(b => b.service);
  const what = keyOf(release);

  const setWeight = (i: number, w: number) =>
    setBackends(bs =>
      bs.map((b, j) =>
        j === i
          ? { ...b, weight: Math.max(0, Math.min(100, Math.round(w))) }
          : b,
      ),
    );

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard
      title={`Gray release ${release.name}`}
      subheader={`${release.cluster}/${release.namespace} · HTTPRoute ${release.name}`}
    >
      {readOnly && (
        <Alert severity="info">
          This route is managed by {release.managedBy}: Flagger sets its
          weights, so it is read-only here.
        </Alert>
      )}
      {!readOnly && initialSum !== 100 && (
        <Alert severity="info">
          The route's weights are relative (they sum to {initialSum} now, so
          each backend gets its weight / {initialSum} of the requests); the
          portal writes them as percentages summing to 100.
        </Alert>
      )}
      {backends.map((b, i) => {
        const deployment = release.backends.find(
          x => x.service === b.service,
        )?.deployment;
        return (
          <Box key={b.service} display="flex" alignItems="center" my={1}>
            <Box width={220}>
              <Typography variant="body2">{b.service}</Typography>
              <Typography variant="caption" color="textSecondary">
                {deployment ? `Deployment ${deployment}` : 'Deployment unknown'}
              </Typography>
            </Box>
            <Box flex={1} mx={2}>
              <Slider
                value={b.weight}
                min={0}
                max={100}
                step={1}
                disabled={readOnly}
                aria-label={`Slider of ${b.service}`}
                onChange={(_, v) => setWeight(i, v as number)}
              />
            </Box>
            <TextField
              type="number"
              value={b.weight}
              disabled={readOnly}
              onChange={e => setWeight(i, Number(e.target.value))}
              inputProps={{
                min: 0,
                max: 100,
                'aria-label': `Weight of ${b.service}`,
              }}
              style={{ width: 80 }}
            />
          </Box>
        );
      })}
      <Typography
        variant="body2"
        color={sum === 100 ? 'textPrimary' : 'error'}
        aria-label="Sum of the weights"
      >
        Sum: {sum} / 100
      </Typography>

      <Box mt={2}>
        <Typography variant="subtitle2">Header rules</Typography>
        {rules.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No rule: every request is split by the weights.
          </Typography>
        )}
        {rules.map((r, i) => (
          <RuleEditor
            key={i}
            index={i}
            rule={r}
            services={services}
            readOnly={readOnly}
            onChange={nr =>
              setRules(rs => rs.map((x, j) => (j === i ? nr : x)))
            }
            onRemove={() => setRules(rs => rs.filter((_, j) => j !== i))}
          />
        ))}
        {!readOnly && (
          <Button
            size="small"
            onClick={() =>
              setRules(rs => [
                ...rs,
                {
                  match: [emptyMatch()],
                  service: services[services.length - 1] ?? '',
                },
              ])
            }
          >
            Add header rule
          </Button>
        )}
      </Box>

      {!readOnly && (
        <Box mt={2}>
          {problem && changed && <Alert severity="warning">{problem}</Alert>}
          <Box display="flex" mt={1}>
            <PermissionButton
              permission={canaryTrafficUpdatePermission}
              resourceRef={routeRef(release)}
              what={what}
              variant="outlined"
              disabled={Boolean(problem) || !changed || busy}
              disabledReason={
                problem || (!changed ? 'Nothing changed' : 'Working…')
              }
              onClick={() =>
                run(async () => {
                  const result = await onPreview({ ...body, dryRun: true });
                  setPreview({ key: editKey, result });
                })
              }
            >
              Preview diff
            </PermissionButton>
            <Box ml={1}>
              <PermissionButton
                permission={canaryTrafficUpdatePermission}
                resourceRef={routeRef(release)}
                what={what}
                color="primary"
                variant="contained"
                disabled={Boolean(problem) || !previewed || busy}
                disabledReason={
                  problem ||
                  (!previewed ? 'Preview the diff first' : 'Working…')
                }
                onClick={() =>
                  run(async () => {
                    await onApply({ ...body, dryRun: false });
                    setPreview(undefined);
                    setNotice(`Applied to ${what}`);
                  })
                }
              >
                Apply
              </PermissionButton>
            </Box>
            <Box ml={1}>
              <Button
                disabled={!changed || busy}
                onClick={() => {
                  setBackends(initial.backends);
                  setRules(initial.rules);
                  setPreview(undefined);
                }}
              >
                Reset
              </Button>
            </Box>
          </Box>
          {previewed && preview && (
            <Box
              component="pre"
              aria-label="Diff"
              p={1}
              mt={1}
              bgcolor="action.hover"
              style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}
            >
              {preview.result.diff || 'No change.'}
            </Box>
          )}
          {error && <Alert severity="error">{error}</Alert>}
          {notice && <Alert severity="success">{notice}</Alert>}
        </Box>
      )}
    </InfoCard>
  );
}
