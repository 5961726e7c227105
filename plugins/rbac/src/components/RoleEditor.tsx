import { useMemo, useState } from 'react';
import {
  Box,
  Button,
  Checkbox,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  PermissionInfo,
  PermissionsResponse,
  RoleSpec,
} from '@kubemate/plugin-rbac-common';
import { validateRoleSpec } from '@kubemate/plugin-rbac-common';
import { MembersPicker } from './MembersPicker';
import { useSubmit } from './useSubmit';
import { rbacTranslationRef, type RbacT } from '../translation';

/** The messages of validateRoleSpec's checks (rbac-common), by their English text. */
const VALIDATION_KEYS = {
  'must be a namespace name or a prefix pattern like payments-*':
    'namespacePattern',
  'must list at least one namespace (or use scope type all)': 'namespacesMin',
  'must be a lowercase DNS label (a-z, 0-9, -), e.g. payments-operator':
    'dnsLabel',
  'is not a permission name': 'permissionName',
  '"*" (every permission) must stand alone': 'starAlone',
  'lists a permission twice': 'permissionTwice',
  'must be a user or group ref, e.g. user:default/alice or group:default/team-payments':
    'memberRef',
} as const;
type ValidationKey = (typeof VALIDATION_KEYS)[keyof typeof VALIDATION_KEYS];

/**
 * One of validateRoleSpec's errors (`name: must be …`) in the app's language: the field path
 * stays (it is the API's), the known messages are translated, others stay as they are.
 */
export function validationErrorText(error: string, t: RbacT): string {
  const at = error.indexOf(': ');
  if (at < 0) return error;
  const field = error.slice(0, at);
  const message = error.slice(at + 2);
  const key = (VALIDATION_KEYS as Record<string, ValidationKey | undefined>)[
    message
  ];
  let text: string | undefined;
  if (key) {
    text = t(`validation.${key}`);
  } else {
    const short = /^String must contain at least (\d+) character\(s\)$/.exec(
      message,
    );
    const long = /^String must contain at most (\d+) character\(s\)$/.exec(
      message,
    );
    const many = /^Array must contain at most (\d+) element\(s\)$/.exec(
      message,
    );
    if (short) text = t('validation.tooShort', { min: short[1] });
    else if (long) text = t('validation.tooLong', { max: long[1] });
    else if (many) text = t('validation.tooManyItems', { max: many[1] });
  }
  return text === undefined
    ? error
    : t('validation.field', { field, message: text });
}

export const EMPTY_ROLE: RoleSpec = {
  name: '',
  scope: { type: 'namespaces', namespaces: [] },
  permissions: [],
  members: [],
};

function PermissionPicker(props: {
  permissions: PermissionsResponse;
  value: string[];
  onChange: (v: string[]) => void;
  namespaced: boolean;
}) {
  const { t } = useTranslationRef(rbacTranslationRef);
  const [filter, setFilter] = useState('');
  const selected = new Set(props.value);
  const all = selected.has('*');
  const groups = useMemo(() => {
    const byPlugin = new Map<string, PermissionInfo[]>();
    for (const p of props.permissions.items) {
      if (filter && !p.name.includes(filter.trim())) continue;
      byPlugin.set(p.pluginId, [...(byPlugin.get(p.pluginId) ?? []), p]);
    }
    return [...byPlugin.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [props.permissions, filter]);

  const toggle = (names: string[], on: boolean) => {
    const next = new Set(props.value);
    next.delete('*');
    for (const n of names) {
      if (on) next.add(n);
      else next.delete(n);
    }
    props.onChange([...next].sort());
  };

  return (
    <Box>
      <FormLabel component="legend">{t('roles.permissions')}</FormLabel>
      {props.permissions.unavailable.map(u => (
        <Alert severity="warning" key={u.pluginId}>
          {t('editor.unavailable', { plugin: u.pluginId, error: u.error })}
        </Alert>
      ))}
      <Box display="flex" alignItems="center" style={{ gap: 16 }}>
        <TextField
          id="permission-filter"
          label={t('editor.filter')}
          value={filter}
          onChange={e => setFilter(e.target.value)}
          margin="dense"
          size="small"
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={all}
              onChange={e => props.onChange(e.target.checked ? ['*'] : [])}
            />
          }
          label={t('editor.every')}
        />
      </Box>
      {!all &&
        groups.map(([pluginId, items]) => {
          const names = items.map(p => p.name);
          const count = names.filter(n => selected.has(n)).length;
          return (
            <Box
              key={pluginId}
              mt={1}
              role="group"
              aria-label={t('editor.groupAria', { plugin: pluginId })}
            >
              <FormControlLabel
                control={
                  <Checkbox
                    checked={count === names.length}
                    indeterminate={count > 0 && count < names.length}
                    onChange={e => toggle(names, e.target.checked)}
                  />
                }
                label={
                  <Typography variant="subtitle2">
                    <span translate="no">{pluginId}</span> ({count}/
                    {names.length})
                  </Typography>
                }
              />
              <Box pl={4} display="flex" flexDirection="column">
                {items.map(p => (
                  <Box key={p.name} display="flex" alignItems="center">
                    <FormControlLabel
                      control={
                        <Checkbox
                          size="small"
                          checked={selected.has(p.name)}
                          onChange={e => toggle([p.name], e.target.checked)}
                        />
                      }
                      label={<span translate="no">{p.name}</span>}
                    />
                    {/* the permission's action and its Kubernetes rules are names (translate="no") */}
                    <Typography variant="caption" color="textSecondary">
                      <span translate="no">{p.action ?? ''}</span>
                      {props.namespaced
                        ? ` · ${t(`editor.scoping.${p.scoping}`)}`
                        : ''}
                      {p.kubernetes.length ? (
                        <span translate="no">
                          {` · Kubernetes: ${p.kubernetes
                            .map(
                              r =>
                                `${r.verbs.join('/')} ${r.resources.join(',')}`,
                            )
                            .join('; ')}`}
                        </span>
                      ) : null}
                    </Typography>
                  </Box>
                ))}
              </Box>
            </Box>
          );
        })}
    </Box>
  );
}

/**
 * Create or edit a role. On a failed save the dialog stays open with everything typed, and the
 * backend's message (400/409/503) is shown above the buttons.
 */
export function RoleEditor(props: {
  mode: 'create' | 'edit';
  initial: RoleSpec;
  permissions: PermissionsResponse;
  onSave: (spec: RoleSpec) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslationRef(rbacTranslationRef);
  const [spec, setSpec] = useState<RoleSpec>(props.initial);
  const [namespaceInput, setNamespaceInput] = useState('');
  const submit = useSubmit(props.onSave);
  const namespaces =
    spec.scope.type === 'namespaces' ? spec.scope.namespaces : [];

  const addNamespace = () => {
    const ns = namespaceInput.trim();
    if (!ns) return;
    setSpec(s => ({
      ...s,
      scope: {
        type: 'namespaces',
        namespaces: [...new Set([...namespaces, ns])],
      },
    }));
    setNamespaceInput('');
  };

  const save = async () => {
    const checked = validateRoleSpec(spec);
    if (!checked.ok) {
      submit.fail(
        t('editor.invalid', {
          errors: checked.errors.map(e => validationErrorText(e, t)).join('; '),
        }),
      );
      return;
    }
    await submit.run(checked.value);
  };

  return (
    <Dialog open onClose={props.onClose} maxWidth="md" fullWidth>
      <DialogTitle>
        {props.mode === 'create'
          ? t('editor.createTitle')
          : t('editor.editTitle', { name: props.initial.name })}
      </DialogTitle>
      <DialogContent dividers>
        <TextField
          id="role-name"
          label={t('editor.name')}
          value={spec.name}
          onChange={e => setSpec({ ...spec, name: e.target.value })}
          disabled={props.mode === 'edit'}
          helperText={t('editor.nameHelper')}
          margin="dense"
          fullWidth
        />
        <TextField
          id="role-title"
          label={t('editor.title')}
          value={spec.title ?? ''}
          onChange={e =>
            setSpec({ ...spec, title: e.target.value || undefined })
          }
          margin="dense"
          fullWidth
        />
        <TextField
          id="role-description"
          label={t('editor.description')}
          value={spec.description ?? ''}
          onChange={e =>
            setSpec({ ...spec, description: e.target.value || undefined })
          }
          margin="dense"
          fullWidth
          multiline
        />
        <Box mt={2}>
          <FormLabel component="legend">{t('editor.scope')}</FormLabel>
          <RadioGroup
            row
            value={spec.scope.type}
            onChange={e =>
              setSpec({
                ...spec,
                scope:
                  e.target.value === 'all'
                    ? { type: 'all' }
                    : { type: 'namespaces', namespaces },
              })
            }
          >
            <FormControlLabel
              value="all"
              control={<Radio />}
              label={t('editor.allNamespaces')}
            />
            <FormControlLabel
              value="namespaces"
              control={<Radio />}
              label={t('editor.selectedNamespaces')}
            />
          </RadioGroup>
          {spec.scope.type === 'namespaces' && (
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
            >
              <TextField
                id="role-namespace"
                label={t('editor.namespace')}
                value={namespaceInput}
                onChange={e => setNamespaceInput(e.target.value)}
                onKeyDown={e => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addNamespace();
                  }
                }}
                helperText={t('editor.namespaceHelper')}
                margin="dense"
              />
              <Button onClick={addNamespace} disabled={!namespaceInput.trim()}>
                {t('editor.addNamespace')}
              </Button>
              {namespaces.map(ns => (
                <Chip
                  key={ns}
                  label={ns}
                  onDelete={() =>
                    setSpec({
                      ...spec,
                      scope: {
                        type: 'namespaces',
                        namespaces: namespaces.filter(n => n !== ns),
                      },
                    })
                  }
                />
              ))}
            </Box>
          )}
        </Box>
        <Box mt={2}>
          <MembersPicker
            value={spec.members}
            onChange={members => setSpec({ ...spec, members })}
          />
        </Box>
        <Box mt={2}>
          <PermissionPicker
            permissions={props.permissions}
            value={spec.permissions}
            onChange={permissions => setSpec({ ...spec, permissions })}
            namespaced={spec.scope.type === 'namespaces'}
          />
        </Box>
      </DialogContent>
      {submit.error && (
        <Box px={3} pt={1}>
          <Alert severity="error">{submit.error}</Alert>
        </Box>
      )}
      <DialogActions>
        <Button onClick={props.onClose}>{t('common.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={submit.busy}
        >
          {submit.busy ? t('common.saving') : t('common.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
