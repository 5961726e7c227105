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
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  PermissionButton,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
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
import { canaryTranslationRef } from '../../translation';

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
  const { t } = useTranslationRef(canaryTranslationRef);
  const ruleNo = String(index + 1);
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
      aria-label={t('gray.rule.label', { rule: ruleNo })}
      role="group"
    >
      {rule.match.map((m, i) => (
        <Box key={i} display="flex" alignItems="center">
          <TextField
            label={t('gray.rule.header')}
            value={m.header}
            disabled={readOnly}
            onChange={e => setMatch(i, { header: e.target.value })}
            margin="dense"
            inputProps={{
              'aria-label': t('gray.rule.headerAria', {
                rule: ruleNo,
                match: String(i + 1),
              }),
            }}
          />
          <Box mx={1}>
            <TextField
              select
              label={t('gray.rule.match')}
              value={m.type}
              disabled={readOnly}
              onChange={e =>
                setMatch(i, { type: e.target.value as HeaderMatch['type'] })
              }
              margin="dense"
            >
              <MenuItem value="Exact">{t('gray.rule.equals')}</MenuItem>
              <MenuItem value="RegularExpression">
                {t('gray.rule.regex')}
              </MenuItem>
            </TextField>
          </Box>
          <TextField
            label={t('gray.rule.value')}
            value={m.value}
            disabled={readOnly}
            onChange={e => setMatch(i, { value: e.target.value })}
            margin="dense"
            inputProps={{
              'aria-label': t('gray.rule.valueAria', {
                rule: ruleNo,
                match: String(i + 1),
              }),
            }}
          />
          {!readOnly && rule.match.length > 1 && (
            <IconButton
              size="small"
              aria-label={t('gray.rule.removeMatch', {
                rule: ruleNo,
                match: String(i + 1),
              })}
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
        <Typography variant="body2">{t('gray.rule.allTo')}</Typography>
        <Box mx={1} minWidth={160}>
          <TextField
            select
            label={t('gray.rule.service')}
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
              {t('gray.rule.andHeader')}
            </Button>
            <Button size="small" onClick={onRemove}>
              {t('gray.rule.remove')}
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
  const { t } = useTranslationRef(canaryTranslationRef);
  const errorMessage = useErrorMessage();
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
  const problem = trafficProblem(backends, rules, t);
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
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard
      title={t('gray.title', { name: release.name })}
      subheader={t('gray.subheader', {
        cluster: release.cluster,
        namespace: release.namespace,
        name: release.name,
      })}
    >
      {readOnly && (
        <Alert severity="info">
          {t('gray.managed', { owner: release.managedBy ?? '' })}
        </Alert>
      )}
      {!readOnly && initialSum !== 100 && (
        <Alert severity="info">
          {t('gray.relative', { sum: String(initialSum) })}
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
                {deployment
                  ? t('gray.deployment', { name: deployment })
                  : t('gray.deploymentUnknown')}
              </Typography>
            </Box>
            <Box flex={1} mx={2}>
              <Slider
                value={b.weight}
                min={0}
                max={100}
                step={1}
                disabled={readOnly}
                aria-label={t('gray.sliderOf', { service: b.service })}
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
                'aria-label': t('gray.weightOf', { service: b.service }),
              }}
              style={{ width: 80 }}
            />
          </Box>
        );
      })}
      <Typography
        variant="body2"
        color={sum === 100 ? 'textPrimary' : 'error'}
        aria-label={t('gray.sumLabel')}
      >
        {t('gray.sum', { sum: String(sum) })}
      </Typography>

      <Box mt={2}>
        <Typography variant="subtitle2">{t('gray.headerRules')}</Typography>
        {rules.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            {t('gray.noRule')}
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
            {t('gray.addRule')}
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
                problem ||
                (!changed ? t('gray.nothingChanged') : t('gray.working'))
              }
              onClick={() =>
                run(async () => {
                  const result = await onPreview({ ...body, dryRun: true });
                  setPreview({ key: editKey, result });
                })
              }
            >
              {t('gray.previewDiff')}
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
                  (!previewed ? t('gray.previewFirst') : t('gray.working'))
                }
                onClick={() =>
                  run(async () => {
                    await onApply({ ...body, dryRun: false });
                    setPreview(undefined);
                    setNotice(t('gray.applied', { what }));
                  })
                }
              >
                {t('gray.apply')}
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
                {t('gray.reset')}
              </Button>
            </Box>
          </Box>
          {previewed && preview && (
            <Box
              component="pre"
              aria-label={t('gray.diff')}
              p={1}
              mt={1}
              bgcolor="action.hover"
              style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}
            >
              {preview.result.diff || t('gray.noChange')}
            </Box>
          )}
          {error && <Alert severity="error">{error}</Alert>}
          {notice && <Alert severity="success">{notice}</Alert>}
        </Box>
      )}
    </InfoCard>
  );
}
