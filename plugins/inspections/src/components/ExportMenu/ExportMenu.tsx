import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Button, Menu, MenuItem } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import type { ExportFormat } from '@kubemate/plugin-inspections-common';
import { inspectionsApiRef } from '../../api';
import { saveBlob } from '../../lib/download';
import { inspectionsTranslationRef } from '../../translation';

const FORMATS: ExportFormat[] = ['json', 'csv', 'junit', 'html', 'pdf'];

/** Downloads the run as JSON, CSV, JUnit, HTML or PDF (with the user's token). */
export function ExportMenu(props: {
  runId: string;
  disabled?: boolean;
  onError: (e: Error) => void;
}) {
  const api = useApi(inspectionsApiRef);
  const { t } = useTranslationRef(inspectionsTranslationRef);
  // JSON, CSV and JUnit XML are the formats' own names
  const labels: Record<ExportFormat, string> = {
    json: 'JSON',
    csv: 'CSV',
    junit: 'JUnit XML',
    html: t('export.html'),
    pdf: t('export.pdf'),
  };
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [busy, setBusy] = useState<ExportFormat>();

  const download = async (format: ExportFormat) => {
    setAnchor(null);
    setBusy(format);
    try {
      const file = await api.exportRun(props.runId, format);
      saveBlob(file.blob, file.filename);
    } catch (e) {
      props.onError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <>
      <Button
        variant="outlined"
        startIcon={<GetAppIcon />}
        disabled={props.disabled || Boolean(busy)}
        onClick={e => setAnchor(e.currentTarget)}
        aria-haspopup="menu"
        data-testid="inspections-export"
      >
        {busy
          ? t('export.exporting', { format: busy.toUpperCase() })
          : t('export.button')}
      </Button>
      <Menu
        anchorEl={anchor}
        open={Boolean(anchor)}
        onClose={() => setAnchor(null)}
      >
        {FORMATS.map(f => (
          <MenuItem key={f} onClick={() => download(f)}>
            {labels[f]}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
