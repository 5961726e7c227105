import { useEffect, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
} from '@material-ui/core';
import { Alert, Autocomplete } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import {
  Collection,
  RAG_COLLECTION_NAME_PATTERN,
} from '@kubemate/plugin-rag-common';
import { ragApiRef } from '../../api';
import type { OwnerTeam } from '../../hooks';
import { normaliseRef } from '../../lib/entityRefs';

/** What a name must look like (RAG_COLLECTION_NAME_PATTERN), said as the user types. */
export const NAME_RULE =
  'Lowercase letters, digits and dashes, 3 to 63 characters, starting with a letter and ending with a letter or digit';

/** Why a typed name is refused, '' when it is fine. */
export function nameProblem(name: string): string {
  if (!name) return '';
  if (RAG_COLLECTION_NAME_PATTERN.test(name)) return '';
  if (name.length < 3) return `Too short: ${NAME_RULE.toLowerCase()}`;
  if (name.length > 63) return `Too long: ${NAME_RULE.toLowerCase()}`;
  return NAME_RULE;
}

/** Catalog entities offered in a refs field; free text is taken too. */
function useCatalogRefs(open: boolean, kinds: string[]) {
  const catalogApi = useApi(catalogApiRef);
  const key = kinds.join(',');
  const { value } = useAsync(async () => {
    if (!open) return [];
    try {
      const { items } = await catalogApi.getEntities({
        filter: { kind: key.split(',') },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      });
      return items.map(e => stringifyEntityRef(e)).sort();
    } catch {
      return []; // suggestions only
    }
  }, [catalogApi, open, key]);
  return value ?? [];
}

function RefsField(props: {
  id: string;
  label: string;
  helper: string;
  defaultKind: string;
  options: string[];
  value: string[];
  onChange: (refs: string[]) => void;
  invalid: string[];
  onInvalid: (typed: string[]) => void;
}) {
  const { id, label, helper, defaultKind, options, value, invalid } = props;
  return (
    <Autocomplete
      id={id}
      multiple
      freeSolo
      autoSelect
      options={options}
      value={[...value, ...invalid]}
      onChange={(_, typed) => {
        const refs: string[] = [];
        const bad: string[] = [];
        for (const t of typed as string[]) {
          const ref = normaliseRef(t, defaultKind);
          if (ref) {
            if (!refs.includes(ref)) refs.push(ref);
          } else bad.push(t);
        }
        props.onChange(refs);
        props.onInvalid(bad);
      }}
      renderTags={(tags, getTagProps) =>
        tags.map((t, i) => {
          // the key is passed on its own: React does not take it from a spread
          const { key, ...tagProps } = getTagProps({ index: i }) as {
            key?: string;
          };
          return (
            <Chip
              key={key ?? t}
              size="small"
              label={t}
              color={invalid.includes(t) ? 'secondary' : 'default'}
              {...tagProps}
            />
          );
        })
      }
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          margin="dense"
          error={invalid.length > 0}
          helperText={
            invalid.length > 0
              ? `Not an entity ref like ${defaultKind}:default/name: ${invalid.join(
                  ', ',
                )}`
              : helper
          }
          inputProps={{ ...params.inputProps, 'data-testid': id }}
        />
      )}
    />
  );
}

/**
 * New knowledge base (name checked as typed, title, description, owner team among the user's
 * teams it may create one for, shared with, linked entities) or Edit (all but name and owner).
 * The backend's refusal (400 / 403 / 409) is shown in the dialog, which stays open.
 */
export function CollectionDialog(props: {
  open: boolean;
  /** edit this knowledge base; otherwise create one */
  collection?: Collection;
  /** the owner teams offered when creating */
  teams?: OwnerTeam[];
  onClose: () => void;
  onSaved: (collection: Collection) => void;
}) {
  const { open, collection, teams = [], onClose, onSaved } = props;
  const api = useApi(ragApiRef);
  const editing = Boolean(collection);
  const allowedTeams = useMemo(() => teams.filter(t => t.allowed), [teams]);
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [ownerRef, setOwnerRef] = useState('');
  const [sharedWith, setSharedWith] = useState<string[]>([]);
  const [entityRefs, setEntityRefs] = useState<string[]>([]);
  const [badShared, setBadShared] = useState<string[]>([]);
  const [badEntities, setBadEntities] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const groupOptions = useCatalogRefs(open, ['Group']);
  const entityOptions = useCatalogRefs(open, [
    'Component',
    'System',
    'API',
    'Resource',
  ]);

  useEffect(() => {
    if (!open) return;
    setName(collection?.name ?? '');
    setTitle(collection?.title ?? '');
    setDescription(collection?.description ?? '');
    setOwnerRef(collection?.ownerRef ?? allowedTeams[0]?.ref ?? '');
    setSharedWith(collection?.sharedWith ?? []);
    setEntityRefs(collection?.entityRefs ?? []);
    setBadShared([]);
    setBadEntities([]);
    setError(undefined);
    // the form starts over when it opens
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, collection]);

  const problem = editing ? '' : nameProblem(name);
  let missing = '';
  if (!editing && !name) missing = 'Name the knowledge base';
  else if (!editing && !ownerRef) missing = 'Pick the owner team';
  const invalid =
    Boolean(problem) ||
    Boolean(missing) ||
    badShared.length > 0 ||
    badEntities.length > 0;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        title: title.trim() || undefined,
        description: description.trim() || undefined,
        sharedWith,
        entityRefs,
      };
      const saved = collection
        ? await api.updateCollection(collection.name, {
            ...body,
            title: title.trim(),
            description: description.trim(),
          })
        : await api.createCollection({ name, ownerRef, ...body });
      onSaved(saved);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle>
        {collection
          ? `Edit ${collection.title || collection.name}`
          : 'New knowledge base'}
      </DialogTitle>
      <DialogContent>
        {!editing && (
          <TextField
            id="rag-collection-name"
            label="Name"
            value={name}
            onChange={e => setName(e.target.value)}
            required
            fullWidth
            margin="dense"
            error={Boolean(problem)}
            helperText={problem || `Permanent. ${NAME_RULE}.`}
            inputProps={{ 'data-testid': 'rag-collection-name', maxLength: 63 }}
          />
        )}
        <TextField
          id="rag-collection-title"
          label="Title"
          value={title}
          onChange={e => setTitle(e.target.value)}
          fullWidth
          margin="dense"
          inputProps={{ 'data-testid': 'rag-collection-title', maxLength: 200 }}
        />
        <TextField
          id="rag-collection-description"
          label="Description"
          value={description}
          onChange={e => setDescription(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          inputProps={{
            'data-testid': 'rag-collection-description',
            maxLength: 2000,
          }}
        />
        {!editing && (
          <TextField
            id="rag-collection-owner"
            select
            label="Owner team"
            value={ownerRef}
            onChange={e => setOwnerRef(e.target.value)}
            required
            fullWidth
            margin="dense"
            helperText="The team that owns it: its members may manage it"
            SelectProps={{
              SelectDisplayProps: {
                'data-testid': 'rag-collection-owner',
              } as object,
            }}
          >
            {teams.map(t => (
              <MenuItem
                key={t.ref}
                value={t.ref}
                disabled={!t.allowed}
                title={t.reason}
              >
                {t.title} ({t.ref})
              </MenuItem>
            ))}
          </TextField>
        )}
        <RefsField
          id="rag-collection-shared"
          label="Shared with"
          helper="Further teams (or users) that may read and ask it"
          defaultKind="group"
          options={groupOptions}
          value={sharedWith}
          onChange={setSharedWith}
          invalid={badShared}
          onInvalid={setBadShared}
        />
        <RefsField
          id="rag-collection-entities"
          label="Linked entities"
          helper="Catalog entities it documents"
          defaultKind="component"
          options={entityOptions}
          value={entityRefs}
          onChange={setEntityRefs}
          invalid={badEntities}
          onInvalid={setBadEntities}
        />
        {error && (
          <Alert severity="error" data-testid="rag-collection-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || invalid}
          title={missing}
          onClick={submit}
          data-testid="rag-collection-submit"
        >
          {editing ? 'Save' : 'Create'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
