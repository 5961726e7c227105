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
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { ragApiRef } from '../../api';
import type { OwnerTeam } from '../../hooks';
import { RagT, useRagTranslation } from '../../hooks/useRagTranslation';
import { normaliseRef } from '../../lib/entityRefs';

/** Why a typed name is refused: too short, too long, or not of the form; '' when it is fine. */
export type NameProblem = '' | 'tooShort' | 'tooLong' | 'invalid';

/** Why a typed name is refused (RAG_COLLECTION_NAME_PATTERN), '' when it is fine. */
export function nameProblem(name: string): NameProblem {
  if (!name) return '';
  if (RAG_COLLECTION_NAME_PATTERN.test(name)) return '';
  if (name.length < 3) return 'tooShort';
  if (name.length > 63) return 'tooLong';
  return 'invalid';
}

/** What the user is told about a refused name, said as they type. */
export function nameProblemText(problem: NameProblem, t: RagT): string {
  switch (problem) {
    case 'tooShort':
      return t('collectionDialog.nameTooShort');
    case 'tooLong':
      return t('collectionDialog.nameTooLong');
    case 'invalid':
      return t('collectionDialog.nameRule');
    default:
      return '';
  }
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
  const { t } = useRagTranslation();
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
        for (const entry of typed as string[]) {
          const ref = normaliseRef(entry, defaultKind);
          if (ref) {
            if (!refs.includes(ref)) refs.push(ref);
          } else bad.push(entry);
        }
        props.onChange(refs);
        props.onInvalid(bad);
      }}
      renderTags={(tags, getTagProps) =>
        tags.map((tag, i) => {
          // the key is passed on its own: React does not take it from a spread
          const { key, ...tagProps } = getTagProps({ index: i }) as {
            key?: string;
          };
          return (
            <Chip
              key={key ?? tag}
              size="small"
              label={tag}
              color={invalid.includes(tag) ? 'secondary' : 'default'}
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
              ? t('collectionDialog.notEntityRef', {
                  example: `${defaultKind}:default/name`,
                  refs: invalid.join(', '),
                })
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
  const { t } = useRagTranslation();
  const errorMessage = useErrorMessage();
  const editing = Boolean(collection);
  const allowedTeams = useMemo(
    () => teams.filter(team => team.allowed),
    [teams],
  );
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

  const problem = nameProblemText(editing ? '' : nameProblem(name), t);
  let missing = '';
  if (!editing && !name) missing = t('collectionDialog.nameMissing');
  else if (!editing && !ownerRef) missing = t('collectionDialog.ownerMissing');
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
      setError(errorMessage(e));
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
          ? t('collectionDialog.editTitle', {
              title: collection.title || collection.name,
            })
          : t('collectionDialog.newTitle')}
      </DialogTitle>
      <DialogContent>
        {!editing && (
          <TextField
            id="rag-collection-name"
            label={t('collectionDialog.name')}
            value={name}
            onChange={e => setName(e.target.value)}
            required
            fullWidth
            margin="dense"
            error={Boolean(problem)}
            helperText={problem || t('collectionDialog.namePermanent')}
            inputProps={{ 'data-testid': 'rag-collection-name', maxLength: 63 }}
          />
        )}
        <TextField
          id="rag-collection-title"
          label={t('collectionDialog.title')}
          value={title}
          onChange={e => setTitle(e.target.value)}
          fullWidth
          margin="dense"
          inputProps={{ 'data-testid': 'rag-collection-title', maxLength: 200 }}
        />
        <TextField
          id="rag-collection-description"
          label={t('collectionDialog.description')}
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
            label={t('collectionDialog.ownerTeam')}
            value={ownerRef}
            onChange={e => setOwnerRef(e.target.value)}
            required
            fullWidth
            margin="dense"
            helperText={t('collectionDialog.ownerHelper')}
            SelectProps={{
              SelectDisplayProps: {
                'data-testid': 'rag-collection-owner',
              } as object,
            }}
          >
            {teams.map(team => (
              <MenuItem
                key={team.ref}
                value={team.ref}
                disabled={!team.allowed}
                title={team.reason}
              >
                {team.title} ({team.ref})
              </MenuItem>
            ))}
          </TextField>
        )}
        <RefsField
          id="rag-collection-shared"
          label={t('collectionDialog.sharedWith')}
          helper={t('collectionDialog.sharedWithHelper')}
          defaultKind="group"
          options={groupOptions}
          value={sharedWith}
          onChange={setSharedWith}
          invalid={badShared}
          onInvalid={setBadShared}
        />
        <RefsField
          id="rag-collection-entities"
          label={t('collectionDialog.linkedEntities')}
          helper={t('collectionDialog.linkedEntitiesHelper')}
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
          {t('collectionDialog.cancel')}
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || invalid}
          title={missing}
          onClick={submit}
          data-testid="rag-collection-submit"
        >
          {editing ? t('collectionDialog.save') : t('collectionDialog.create')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
