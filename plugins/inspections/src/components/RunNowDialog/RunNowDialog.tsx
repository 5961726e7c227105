import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  PermissionButton,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import { isNamespacePattern } from '@kubemate/plugin-kubemate-common';
import {
  CHECK_CATEGORIES,
  inspectionsRunCreatePermission,
  type CheckCategory,
  type CreateRunRequest,
} from '@kubemate/plugin-inspections-common';
import { inspectionsApiRef } from '../../api';
import { useInspectionsPaths } from '../../lib/paths';
import { inspectionsTranslationRef } from '../../translation';

/** `payments-*, ai-platform` → the patterns, and the first invalid one. */
export function parseNamespaces(text: string): {
  namespaces: string[];
  invalid?: string;
} {
  const namespaces = text
    .split(/[,\s]+/)
    .map(s => s.trim())
    .filter(Boolean);
  return { namespaces, invalid: namespaces.find(n => !isNamespacePattern(n)) };
}

/**
 * The scope of a run started now: clusters (all by default), namespace patterns (optional) and
 * categories (all by default). A busy cluster (409) or an invalid scope (400) is shown here; on
 * success the run's report opens.
 */
export function RunNowDialog(props: {
  open: boolean;
  clusters: string[];
  onClose: () => void;
}) {
  const { open, clusters, onClose } = props;
  const api = useApi(inspectionsApiRef);
  const navigate = useNavigate();
  const paths = useInspectionsPaths();
  const { t } = useTranslationRef(inspectionsTranslationRef);
  const errorMessage = useErrorMessage();
  const [selected, setSelected] = useState<string[]>(clusters);
  const [namespaces, setNamespaces] = useState('');
  const [categories, setCategories] = useState<CheckCategory[]>([
    ...CHECK_CATEGORIES,
  ]);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) {
      setSelected(clusters);
      setNamespaces('');
      setCategories([...CHECK_CATEGORIES]);
      setError(undefined);
    }
    // the clusters may arrive after the dialog opened: select them all then
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, clusters.join(',')]);

  const ns = parseNamespaces(namespaces);
  const invalidNamespace = ns.invalid
    ? t('runNow.invalidNamespace', { namespace: ns.invalid })
    : '';
  let problem = invalidNamespace;
  if (clusters.length > 0 && selected.length === 0) {
    problem = t('runNow.pickCluster');
  } else if (categories.length === 0) problem = t('runNow.pickCategory');

  const toggle = <T,>(list: T[], v: T) =>
    list.includes(v) ? list.filter(x => x !== v) : [...list, v];

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    const body: CreateRunRequest = {
      // everything selected: let the backend take every configured cluster / category
      ...(selected.length < clusters.length ? { clusters: selected } : {}),
      ...(ns.namespaces.length ? { namespaces: ns.namespaces } : {}),
      ...(categories.length < CHECK_CATEGORIES.length ? { categories } : {}),
    };
    try {
      const run = await api.createRun(body);
      onClose();
      navigate(paths.run(run.id));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{t('runNow.title')}</DialogTitle>
      <DialogContent>
        {clusters.length > 0 && (
          <FormControl component="fieldset" margin="dense" fullWidth>
            <FormLabel component="legend">{t('runNow.clusters')}</FormLabel>
            <FormGroup row>
              {clusters.map(c => (
                <FormControlLabel
                  key={c}
                  control={
                    <Checkbox
                      checked={selected.includes(c)}
                      onChange={() => setSelected(s => toggle(s, c))}
                    />
                  }
                  label={c}
                />
              ))}
            </FormGroup>
            <FormHelperText>{t('runNow.clustersHelp')}</FormHelperText>
          </FormControl>
        )}
        <TextField
          id="inspections-run-namespaces"
          label={t('runNow.namespaces')}
          value={namespaces}
          onChange={e => setNamespaces(e.target.value)}
          fullWidth
          margin="dense"
          error={Boolean(ns.invalid)}
          helperText={invalidNamespace || t('runNow.namespacesHelp')}
        />
        <FormControl component="fieldset" margin="dense" fullWidth>
          <FormLabel component="legend">{t('runNow.categories')}</FormLabel>
          <FormGroup row>
            {CHECK_CATEGORIES.map(c => (
              <FormControlLabel
                key={c}
                control={
                  <Checkbox
                    checked={categories.includes(c)}
                    onChange={() => setCategories(s => toggle(s, c))}
                  />
                }
                label={t(`categories.${c}`)}
              />
            ))}
          </FormGroup>
        </FormControl>
        {problem && !ns.invalid && <Alert severity="warning">{problem}</Alert>}
        {error && (
          <Alert severity="error" data-testid="inspections-run-error">
            {errorMessage(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={Boolean(problem) || busy}
          onClick={submit}
          data-testid="inspections-run-start"
        >
          {t('runNow.start')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** **Run now** (`inspections.run.create`), opening {@link RunNowDialog}. */
export function RunNowButton(props: {
  clusters: string[];
  variant?: 'contained' | 'outlined';
  /** Several buttons on a page: only the page's main one keeps the default test id. */
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const { t } = useTranslationRef(inspectionsTranslationRef);
  return (
    <>
      <PermissionButton
        permission={inspectionsRunCreatePermission}
        color="primary"
        variant={props.variant ?? 'contained'}
        onClick={() => setOpen(true)}
        data-testid={props.testId ?? 'inspections-run-now'}
      >
        {t('runNow.button')}
      </PermissionButton>
      <RunNowDialog
        open={open}
        clusters={props.clusters}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
