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
import type {
  PermissionInfo,
  PermissionsResponse,
  RoleSpec,
} from '@kubemate/plugin-rbac-common';
import { validateRoleSpec } from '@kubemate/plugin-rbac-common';
import { MembersPicker } from './MembersPicker';
import { useSubmit } from './useSubmit';

/** How a namespace-scoped role applies a permission, in words. */
const SCOPING_HINT: Record<PermissionInfo['scoping'], string> = {
  namespace: 'in the role’s namespaces',
  ownership: 'on entities the members own',
  none: 'not tied to a namespace: granted everywhere',
  unsupported: 'not granted by a namespace-scoped role',
};

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
      <FormLabel component="legend">Permissions</FormLabel>
      {props.permissions.unavailable.map(u => (
        <Alert severity="warning" key={u.pluginId}>
          Permissions of the {u.pluginId} plugin could not be listed: {u.error}
        </Alert>
      ))}
      <Box display="flex" alignItems="center" style={{ gap: 16 }}>
        <TextField
          id="permission-filter"
          label="Filter permissions"
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
          label="Every permission (*), including future ones"
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
              aria-label={`${pluginId} permissions`}
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
                    {pluginId} ({count}/{names.length})
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
                      label={p.name}
                    />
                    <Typography variant="caption" color="textSecondary">
                      {p.action ?? ''}
                      {props.namespaced ? ` · ${SCOPING_HINT[p.scoping]}` : ''}
                      {p.kubernetes.length
                        ? ` · Kubernetes: ${p.kubernetes
                            .map(
                              r =>
                                `${r.verbs.join('/')} ${r.resources.join(',')}`,
                            )
                            .join('; ')}`
                        : ''}
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
      submit.fail(`Invalid role: ${checked.errors.join('; ')}`);
      return;
    }
    await submit.run(checked.value);
  };

  return (
    <Dialog open onClose={props.onClose} maxWidth="md" fullWidth>
      <DialogTitle>
        {props.mode === 'create'
          ? 'Create role'
          : `Edit role ${props.initial.name}`}
      </DialogTitle>
      <DialogContent dividers>
        <TextField
          id="role-name"
          label="Name"
          value={spec.name}
          onChange={e => setSpec({ ...spec, name: e.target.value })}
          disabled={props.mode === 'edit'}
          helperText="Lowercase letters, digits and -, e.g. payments-operator; used in Kubernetes object names"
          margin="dense"
          fullWidth
        />
        <TextField
          id="role-title"
          label="Title"
          value={spec.title ?? ''}
          onChange={e =>
            setSpec({ ...spec, title: e.target.value || undefined })
          }
          margin="dense"
          fullWidth
        />
        <TextField
          id="role-description"
          label="Description"
          value={spec.description ?? ''}
          onChange={e =>
            setSpec({ ...spec, description: e.target.value || undefined })
          }
          margin="dense"
          fullWidth
          multiline
        />
        <Box mt={2}>
          <FormLabel component="legend">Scope</FormLabel>
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
              label="All namespaces"
            />
            <FormControlLabel
              value="namespaces"
              control={<Radio />}
              label="Selected namespaces"
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
                label="Namespace or pattern"
                value={namespaceInput}
                onChange={e => setNamespaceInput(e.target.value)}
                onKeyDown={e => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addNamespace();
                  }
                }}
                helperText="A namespace (payments-dev) or a prefix pattern (payments-*), on every cluster"
                margin="dense"
              />
              <Button onClick={addNamespace} disabled={!namespaceInput.trim()}>
                Add namespace
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
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={save}
          disabled={submit.busy}
        >
          {submit.busy ? 'Saving…' : 'Save'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
