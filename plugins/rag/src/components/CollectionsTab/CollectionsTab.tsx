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
import { entityLink, formatTime, shortRef } from '../../lib/format';
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
  if (!inProgress && !failed) return <>—</>;
  return (
    <Box display="flex" style={{ gap: 4 }}>
      {inProgress > 0 && (
        <Chip
          size="small"
          color="primary"
          label={`${inProgress} in progress`}
        />
      )}
      {failed > 0 && (
        <Chip
          size="small"
          label={`${failed} failed`}
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
        what="read the knowledge bases"
        onRetry={collections.retry}
      />
    );
  else if (list.length === 0)
    body = (
      <EmptyState
        missing="data"
        title="No knowledge base yet"
        description="Create one for your team with New knowledge base, or with the template (which also registers it in the catalog)."
        action={
          <LinkButton variant="outlined" to={TEMPLATE_PATH}>
            Use the template
          </LinkButton>
        }
      />
    );
  else
    body = (
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Knowledge base</TableCell>
            <TableCell>Owner team</TableCell>
            <TableCell>Shared with</TableCell>
            <TableCell align="right">Documents</TableCell>
            <TableCell align="right">Chunks</TableCell>
            <TableCell>Ingestion</TableCell>
            <TableCell>Updated</TableCell>
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
              <TableCell>{formatTime(c.updatedAt)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );

  return (
    <>
      {owner.probes}
      <InfoCard
        title={`Knowledge bases${collections.value ? ` (${list.length})` : ''}`}
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
        open={creating && Boolean(owner.teams?.some(t => t.allowed))}
        teams={owner.teams}
        onClose={() => setCreating(false)}
        onSaved={c => navigate(paths.collection(c.name))}
      />
    </>
  );
}
