import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  EmptyState,
  InfoCard,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import {
  Box,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { Collection } from '@kubemate/plugin-rag-common';
import { useCollections, useOwnerTeams } from '../../hooks';
import { useRagTranslation } from '../../hooks/useRagTranslation';
import { entityLink, shortRef, useRagFormat } from '../../lib/format';
import { TEMPLATE_PATH, useRagPaths } from '../../lib/paths';
import { CollectionDialog } from '../CollectionDialog';
import { ErrorNotice } from '../ErrorNotice';
import { NewCollectionButton } from './NewCollectionButton';

function Refs(props: { refs: string[] }) {
  if (props.refs.length === 0) return <>—</>;
  return (
    <>
      {props.refs.map((r, i) => (
        <span key={r}>
          {i > 0 && ', '}
          <Link to={entityLink(r) ?? '#'}>{shortRef(r)}</Link>
        </span>
      ))}
    </>
  );
}

function Progressing(props: { c: Collection }) {
  const { inProgress, failed } = props.c.stats;
  const { t } = useRagTranslation();
  if (!inProgress && !failed) return <>—</>;
  return (
    <Box display="flex" style={{ gap: 4 }}>
      {inProgress > 0 && (
        <Chip
          size="small"
          color="primary"
          label={t('collections.inProgress', { n: String(inProgress) })}
        />
      )}
      {failed > 0 && (
        <Chip
          size="small"
          label={t('collections.failed', { n: String(failed) })}
          style={{ backgroundColor: '#c62828', color: '#fff' }}
        />
      )}
    </Box>
  );
}

/**
 * Knowledge bases: those the user may read (title, owner team, shared with, documents, chunks,
 * in progress / failed, updated) and New knowledge base (`?new=1` opens it).
 */
export function CollectionsTab() {
  const collections = useCollections();
  const { t } = useRagTranslation();
  const f = useRagFormat();
  const owner = useOwnerTeams();
  const paths = useRagPaths();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const creating = searchParams.get('new') === '1';
  const setCreating = (on: boolean) =>
    setSearchParams(
      p => {
        const next = new URLSearchParams(p);
        if (on) next.set('new', '1');
        else next.delete('new');
        return next;
      },
      { replace: true },
    );

  const list = collections.value ?? [];
  let body;
  if (collections.loading && !collections.value) body = <Progress />;
  else if (collections.error && !collections.value)
    body = (
      <ErrorNotice
        error={collections.error}
        what={t('what.readCollections')}
        onRetry={collections.retry}
      />
    );
  else if (list.length === 0)
    body = (
      <EmptyState
        missing="data"
        title={t('collections.emptyTitle')}
        description={t('collections.emptyDescription')}
        action={
          <LinkButton variant="outlined" to={TEMPLATE_PATH}>
            {t('collections.useTemplate')}
          </LinkButton>
        }
      />
    );
  else
    body = (
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{t('collections.columns.collection')}</TableCell>
            <TableCell>{t('collections.columns.ownerTeam')}</TableCell>
            <TableCell>{t('collections.columns.sharedWith')}</TableCell>
            <TableCell align="right">
              {t('collections.columns.documents')}
            </TableCell>
            <TableCell align="right">
              {t('collections.columns.chunks')}
            </TableCell>
            <TableCell>{t('collections.columns.ingestion')}</TableCell>
            <TableCell>{t('collections.columns.updated')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {list.map(c => (
            <TableRow key={c.name} data-testid={`rag-collection-${c.name}`}>
              <TableCell>
                <Link to={paths.collection(c.name)}>{c.title || c.name}</Link>
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  {c.name}
                </Typography>
              </TableCell>
              <TableCell>
                <Refs refs={[c.ownerRef]} />
              </TableCell>
              <TableCell>
                <Refs refs={c.sharedWith} />
              </TableCell>
              <TableCell align="right">{c.stats.documents}</TableCell>
              <TableCell align="right">{c.stats.chunks}</TableCell>
              <TableCell>
                <Progressing c={c} />
              </TableCell>
              <TableCell>{f.time(c.updatedAt)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );

  return (
    <>
      {owner.probes}
      <InfoCard
        title={
          collections.value
            ? t('collections.titleCount', { n: String(list.length) })
            : t('collections.title')
        }
        action={
          <NewCollectionButton
            teams={owner.teams}
            loading={owner.loading}
            onClick={() => setCreating(true)}
          />
        }
      >
        {body}
      </InfoCard>
      <CollectionDialog
        open={creating && Boolean(owner.teams?.some(team => team.allowed))}
        teams={owner.teams}
        onClose={() => setCreating(false)}
        onSaved={c => navigate(paths.collection(c.name))}
      />
    </>
  );
}
