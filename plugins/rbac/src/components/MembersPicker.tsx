import { Chip, TextField } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { normalizeMemberRef } from '@kubemate/plugin-rbac-common';
import { shortRef } from './format';
import { rbacTranslationRef } from '../translation';

const MEMBER_REF = /^(user|group):/i;

/**
 * Users and groups from the catalog, with free text for refs the catalog does not (yet) have.
 * Values are full refs (`group:default/team-payments`).
 */
export function MembersPicker(props: {
  value: string[];
  onChange: (members: string[]) => void;
  label?: string;
  error?: string;
}) {
  const { t } = useTranslationRef(rbacTranslationRef);
  const errorMessage = useErrorMessage();
  const catalogApi = useApi(catalogApiRef);
  const options = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: ['User', 'Group'] },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    return items.map(e => stringifyEntityRef(e)).sort();
  }, [catalogApi]);

  const invalid = props.value.filter(v => !MEMBER_REF.test(v));
  const error =
    props.error ??
    (invalid.length
      ? t('members.invalid', { refs: invalid.join(', ') })
      : undefined);
  let helperText = error ?? t('members.helper');
  if (options.error) {
    helperText = t('members.catalogError', {
      message: errorMessage(options.error),
    });
  }
  return (
    <Autocomplete
      multiple
      freeSolo
      options={options.value ?? []}
      loading={options.loading}
      value={props.value}
      onChange={(_, values) =>
        props.onChange([
          ...new Set(
            (values as string[])
              .map(v => v.trim())
              .filter(Boolean)
              .map(v => (MEMBER_REF.test(v) ? normalizeMemberRef(v) : v)),
          ),
        ])
      }
      renderTags={(values, getTagProps) =>
        values.map((v, i) => (
          <Chip
            {...getTagProps({ index: i })}
            key={v}
            size="small"
            label={
              v.startsWith('group:')
                ? t('members.chipGroup', { name: shortRef(v) })
                : t('members.chipUser', { name: shortRef(v) })
            }
          />
        ))
      }
      renderInput={params => (
        <TextField
          {...params}
          label={props.label ?? t('members.label')}
          variant="outlined"
          margin="dense"
          error={Boolean(error)}
          helperText={helperText}
        />
      )}
    />
  );
}
